// The commented example churnwatch.yaml that `churnwatch init` writes: every key, with what it means.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../errors.js';

export const EXAMPLE_CONFIG = `# churnwatch configuration. Paths are relative to this file's folder.
version: 1

# Where the data comes from. Every source is optional, but name at least one. For each source:
#   path:             a file or a glob (data/events-*.csv)
#   format:           csv (UTF-8, header row), ndjson or parquet
#   columns:          our field: the column name in your file, where they differ
#   timestamp_format: strptime format when timestamps are not ISO 8601 (a date alone, 2024-03-01, is
#                     ISO: midnight), e.g. '%d/%m/%Y %H:%M'
#   time_zone:        IANA zone your timestamps are written in (stored as UTC), e.g. Asia/Shanghai
#   duplicates:       events, transactions, cancellations: a line equal to an earlier one in every
#                     column of the file is quarantined (default: quarantine); keep loads it, for a
#                     file without an id column where two identical purchases are two identical lines
#
# Without customers (many exports hold only transactions), ingest derives one customer per id seen
# in the other sources: signup_at = its first activity (transactions/events ts, tickets opened_at,
# cancellations cancelled_at), segment/region/plan empty. Customers already stored keep their row.
# Rows of ids missing from the customers file can then not be recognised: unknown_customer applies
# only with a customers source, and so does test_accounts.flag_column.
sources:
  customers:            # fields: customer_id, signup_at, segment, region, plan, and the personal
                        # name, phone, email (masked for roles that need no identity; optional source)
    path: data/customers.csv
    format: csv
    columns:
      customer_id: customer_id
      signup_at: signup_at
  events:               # fields: customer_id, ts, event_type, properties
    path: data/events.csv
    columns:
      ts: ts
  transactions:         # fields: customer_id, ts, amount, product, payment_method
    path: data/transactions.csv
    # duplicates: keep    # identical lines are separate purchases (default: quarantine them)
  tickets:              # fields: customer_id, opened_at, resolved_at, category, satisfaction
    path: data/tickets.csv
  # cancellations:      # fields: customer_id, cancelled_at, reason, voluntary (true/false)
  #   path: data/cancellations.csv
  #   time_zone: Asia/Shanghai

# What churn means for this business.
#   kind: contractual      a cancellation within horizon_days after the cutoff
#         non_contractual  no activity (below) in the horizon_days after the cutoff
#         partial          activity in the horizon below partial_threshold x the customer's baseline
#                          (activity in the baseline_days before the cutoff, scaled to horizon_days)
# \`churnwatch analyze inactivity\` suggests a horizon from your data.
churn:
  kind: non_contractual
  horizon_days: 90
  activity:
    - source: transactions
    # - source: events
    #   event_types: [login, visit]
  # partial_threshold: 0.5
  # baseline_days: 90
  # active_within_days: 365   # label (and score) only customers active in the year before the cutoff

# Feature windows in days (counts, sums, averages per window).
features:
  windows: [7, 30, 90]

# Risk tiers: probability thresholds ...
tiers:
  high: 0.8
  medium: 0.5
# ... or the top k percent of customers by score:
# tiers:
#   top_k_percent: { high: 5, medium: 15 }

# Test accounts are quarantined at ingest, with their events, transactions and tickets.
test_accounts:
  id_pattern: '^(test|demo)_'
  # flag_column: is_test      # a column of the customers file: true/1/yes marks a test account

# Alerts, raised by every scoring run by comparing each customer's score with their previous one.
# Without this section: one rule, enters-high (a customer enters the high tier), shown on the dashboard.
# Rule kinds:
#   enters_tier           tier: high|medium; the customer is in that tier or above now and was below it
#                         (first_score: true also alerts customers scored for the first time)
#   score_jump            min_increase: 0.2; the probability rose by more than that since the last score
#   high_value_threshold  min_value: 1000, value_days: 90, probability: 0.7; a customer whose spend in the
#                         last value_days is above min_value reaches the probability (was below it)
# Every rule may filter by segments, tiers (of the new score) and reasons (driver feature names). One open
# alert per customer and rule; after one is closed, none for quiet_days (default 7, or per rule).
# Channels get one message per alert (only the rules listed, if rules: is given), delivered at least once
# with retries (exponential backoff with jitter) until max_attempts, then dead (shown on the dashboard).
# Secrets: prefer secret_env (the name of an environment variable) to secret (written here).
# alerts:
#   rules:
#     - { name: enters-high, kind: enters_tier, tier: high }
#     - { name: jump, kind: score_jump, min_increase: 0.25, segments: [vip] }
#     - { name: vip-value, kind: high_value_threshold, min_value: 1000, probability: 0.6 }
#   quiet_days: 7
#   channels:
#     - { name: crm, kind: webhook, url: 'https://crm.example.com/hooks/churn', secret_env: CHURNWATCH_WEBHOOK_SECRET }
#     - { name: team, kind: wecom, url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…', rules: [enters-high] }
#     - { name: dd, kind: dingtalk, url: 'https://oapi.dingtalk.com/robot/send?access_token=…', secret_env: DINGTALK_SECRET }
#     - { name: lark, kind: feishu, url: 'https://open.feishu.cn/open-apis/bot/v2/hook/…' }
#     - { name: slack, kind: slack, url: 'https://hooks.slack.com/services/…', language: en }
#     # E-mail through SMTP: port (587), secure (TLS from the start, port 465), starttls required|opportunistic|off,
#     # username + password_env, from, to (the retention team), language (zh-CN).
#     - { name: mail, kind: email, host: smtp.example.com, username: alerts, password_env: SMTP_PASSWORD,
#         from: 'churnwatch <alerts@example.com>', to: [retention@example.com] }
#     # SMS through a provider's HTTP API: url, method (POST), headers, header_env (header → variable), body with
#     # {to} {text} {id}, content_type, to (phones), success: { field, equals } on the JSON answer, max_length (70).
#     - { name: sms, kind: sms, url: 'https://sms.example.com/v1/send', header_env: { Authorization: SMS_TOKEN },
#         body: '{"phone":"{to}","text":"{text}"}', to: ['+8613800000000'], success: { field: code, equals: OK } }
#     # Any channel with digest: daily gets one summary a day (counts per tier and rule, top 10 customers)
#     # instead of one message per alert, at digest_hour (9) in time_zone (Asia/Shanghai).
#     - { name: daily, kind: wecom, url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…', digest: daily }
#   delivery: { max_attempts: 8, base_delay_seconds: 30, max_delay_seconds: 3600, poll_seconds: 5 }

# Retention (R16–R19): the bar under which a strategy is flagged for retirement (a churn reduction), and the
# marketing, SMS and service systems campaigns send their actions to, as signed JSON batches (the alert
# webhook's scheme) delivered through the outbox: POST /api/campaigns/{id}/dispatches {"webhook": "crm-actions"}.
# retention:
#   retire_below: 0.01
#   action_webhooks:
#     - { name: crm-actions, url: 'https://crm.example.com/hooks/retention', secret_env: CRM_ACTIONS_SECRET,
#         batch_size: 500, timeout_ms: 10000 }
`;

/** Writes the example to `path` (creating its folder); refuses an existing file unless `force`. */
export function writeExampleConfig(path: string, options: { force?: boolean } = {}): void {
  if (existsSync(path) && !options.force) {
    throw new InputError('exists already (use --force to overwrite it)', { file: path });
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, EXAMPLE_CONFIG);
}
