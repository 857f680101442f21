-- wrk script: one registration per prepared session, each session used once.
--
-- The post is the one that stores a registration (the verification channel, after the terms
-- and the identification were accepted in that session). The sessions file, named by
-- SENTINEL_BENCH_SESSIONS, holds "session-id csrf-token" per line; SENTINEL_BENCH_POST is the
-- path and SENTINEL_BENCH_BODY the form without its token. Run with one thread (-t1): each
-- thread would otherwise post every session again. Once every session is used the
-- connections idle; the bench stops wrk with SIGINT when the portal has stored them all.

local sessions = {}
for line in io.lines(os.getenv("SENTINEL_BENCH_SESSIONS")) do
  local id, csrf = line:match("^(%S+) (%S+)$")
  sessions[#sessions + 1] = { id = id, csrf = csrf }
end
local path = os.getenv("SENTINEL_BENCH_POST")
local body = os.getenv("SENTINEL_BENCH_BODY")
local sent = 0
local verified = false

request = function()
  -- wrk calls request() once before it connects, to check what it returns: give it a
  -- harmless page, not a session.
  if not verified then
    verified = true
    return wrk.format("GET", "/healthz")
  end
  sent = sent + 1
  local session = sessions[sent]
  if session == nil then
    return ""
  end
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "ssd_sessao=" .. session.id,
  }, body .. "&csrf_token=" .. session.csrf)
end
