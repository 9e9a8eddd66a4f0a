// The churnwatch.yaml written next to the demo business's files: every source, contractual churn over 30
// days, top-k% tiers, and the test-account rule that catches the planted test accounts.

/** Configuration text; paths are relative to the demo folder. */
export const DEMO_CONFIG = `# churnwatch configuration of the simulated demo business (written by the simulator).
# Paths are relative to this file's folder. Timestamps are UTC, ISO 8601. Activity paths are globs: months
# played after the end (a campaign's following months) arrive as new files, e.g. data/events-2026-11-01_2027-01-31.csv.
version: 1

sources:
  customers:            # customer_id, signup_at, segment, region, plan, name, phone, email (+ value_tier, not used)
    path: data/customers.csv
  events:               # app sessions: visit, login, page_view
    path: data/events*.csv
  transactions:         # purchases and monthly membership fees
    path: data/transactions*.csv
  tickets:              # service tickets; resolved_at and satisfaction empty while open
    path: data/tickets*.csv
  cancellations:        # voluntary = false: cancelled after a failed payment
    path: data/cancellations*.csv
    columns: { reason: stated_reason }

# Members cancel explicitly: churn is a cancellation within 30 days after the cutoff.
churn:
  kind: contractual
  horizon_days: 30

features:
  windows: [7, 30, 90]

# About 3% of members leave in a month, so a calibrated probability rarely reaches 0.8: the retention team
# works the riskiest customers instead — the top 2% are high risk, the next 8% medium.
tiers:
  top_k_percent: { high: 2, medium: 10 }

# The demo data holds a few test accounts (test_0001, demo_0002, ...): quarantined at ingest.
test_accounts:
  id_pattern: '^(test|demo)_'
`;
