// Allure Report 3 configuration for portal-sentinel (`sentinel report` runs `allure generate`).
import { defineConfig } from "allure";

export default defineConfig({
  name: "portal-sentinel: Segurança Social Direta",
  output: "reports/allure-report",
  // Kept across runs, so the report shows each test's history and trends.
  historyPath: "reports/allure-history.jsonl",
  historyLimit: 50,
  // The runner prefixes every flow failure with its kind: see flows/errors.py.
  categories: {
    rules: [
      {
        name: "Portal unavailable",
        matchedStatuses: ["failed", "broken"],
        messageRegex: ".*\\[portal unavailable\\].*",
      },
      {
        name: "Portal defect (not as documented)",
        matchedStatuses: ["failed", "broken"],
        messageRegex: ".*\\[portal defect\\].*",
      },
      {
        name: "Harness defect",
        matchedStatuses: ["failed", "broken"],
        messageRegex: ".*\\[harness defect\\].*",
      },
      { name: "Test assertion", matchedStatuses: ["failed"] },
      { name: "Test error", matchedStatuses: ["broken"] },
    ],
  },
  plugins: {
    awesome: {
      options: {
        // One self-contained file: it opens from disk, screenshots included.
        singleFile: true,
        reportLanguage: "en",
        groupBy: ["epic", "feature", "story"],
      },
    },
  },
});
