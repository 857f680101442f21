"""How a step fails, classified for reports, alerts and uptime.

- ``PortalUnavailable``: the portal did not answer, or answered with a 5xx or maintenance page.
- ``PortalDefect``: the portal answered but not as documented: a documented label is missing
  (documentation drift), a screen did not follow, a code did not arrive. An ``AssertionError``,
  so pytest and Allure call it a failure.
- ``HarnessDefect``: our own bug, or the browser crashed; not the portal's downtime.
- ``ProductionRefused``: a flow that writes was pointed at, or led to, the production portal;
  our configuration, never the portal's downtime.
"""

from __future__ import annotations


class FlowError(Exception):
    kind = "flow_error"

    def __init__(self, message: str, *, flow: str, step: str, cause: BaseException | None = None):
        super().__init__(f"[{self.kind.replace('_', ' ')}] {message}")
        self.flow = flow
        self.step = step
        self.cause = cause


class PortalUnavailable(FlowError):
    kind = "portal_unavailable"


class PortalDefect(FlowError, AssertionError):
    kind = "portal_defect"


class HarnessDefect(FlowError):
    kind = "harness_defect"


class ProductionRefused(FlowError):
    """A flow that creates or changes accounts was pointed at the production portal, or a page
    led its browser there (the request was stopped before it left)."""

    kind = "production_refused"
