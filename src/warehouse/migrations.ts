// Versioned schema migrations: an ordered list, each applied once in its own transaction and recorded in
// `schema_migrations`. Applied migrations are history: change the schema by appending a new one.

import type { Warehouse } from './warehouse.js';

export interface Migration {
  /** 1, 2, 3 … in order, no gaps. */
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

/** The schema, oldest first. No primary keys: uniqueness is checked by the ingest (duplicates are quarantined). */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'source tables',
    statements: [
      `CREATE TABLE customers (
        customer_id VARCHAR NOT NULL,
        signup_at TIMESTAMP NOT NULL,
        segment VARCHAR,
        region VARCHAR,
        plan VARCHAR
      )`,
      `CREATE TABLE events (
        customer_id VARCHAR NOT NULL,
        ts TIMESTAMP NOT NULL,
        event_type VARCHAR NOT NULL,
        properties VARCHAR
      )`,
      `CREATE TABLE transactions (
        customer_id VARCHAR NOT NULL,
        ts TIMESTAMP NOT NULL,
        amount DOUBLE NOT NULL,
        product VARCHAR,
        payment_method VARCHAR
      )`,
      `CREATE TABLE tickets (
        customer_id VARCHAR NOT NULL,
        opened_at TIMESTAMP NOT NULL,
        resolved_at TIMESTAMP,
        category VARCHAR,
        satisfaction DOUBLE
      )`,
      `CREATE TABLE cancellations (
        customer_id VARCHAR NOT NULL,
        cancelled_at TIMESTAMP NOT NULL,
        reason VARCHAR,
        voluntary BOOLEAN
      )`,
    ],
  },
  {
    version: 2,
    name: 'ingest log, quarantine, inactivity curve',
    statements: [
      // One row per file loaded. Loading a file again with the same content (file_hash) and the same source
      // settings (settings_hash: mapping, formats, test-account rule) is a no-op; new settings re-read it.
      `CREATE TABLE load_log (
        load_id INTEGER NOT NULL,
        source VARCHAR NOT NULL,
        file VARCHAR NOT NULL,
        file_hash VARCHAR NOT NULL,
        settings_hash VARCHAR NOT NULL,
        loaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
        rows_read BIGINT NOT NULL,
        rows_loaded BIGINT NOT NULL,
        rows_quarantined BIGINT NOT NULL
      )`,
      // Rows that were not loaded, with why: nothing is dropped silently. `line` counts as an editor does
      // (CSV: the header is line 1); `raw` is the row as read, a JSON object keyed by the file's columns.
      `CREATE TABLE quarantine (
        load_id INTEGER NOT NULL,
        source VARCHAR NOT NULL,
        file VARCHAR NOT NULL,
        line BIGINT NOT NULL,
        customer_id VARCHAR,
        reason VARCHAR NOT NULL,
        detail VARCHAR,
        raw VARCHAR NOT NULL
      )`,
      // The return curve of analyze inactivity, replaced on every run; the dashboard draws it.
      `CREATE TABLE inactivity_curve (
        gap_days INTEGER NOT NULL,
        inactive_customers BIGINT NOT NULL,
        returned_customers BIGINT NOT NULL,
        return_share DOUBLE,
        activity VARCHAR NOT NULL,
        computed_at TIMESTAMP NOT NULL
      )`,
    ],
  },
  {
    version: 3,
    name: 'model registry, scores',
    statements: [
      // One row per workspace training run: the run's best model kind, its test figures and where its file
      // is (relative to the workspace). Exactly one row is the champion once any model exists.
      `CREATE TABLE model_registry (
        version INTEGER NOT NULL,
        kind VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
        file VARCHAR NOT NULL,
        test_cutoff DATE NOT NULL,
        train_cutoffs VARCHAR NOT NULL,
        roc_auc DOUBLE,
        pr_auc DOUBLE,
        log_loss DOUBLE,
        brier DOUBLE,
        report VARCHAR NOT NULL
      )`,
      // Scores are history: one row per customer, scoring date and model version; scoring again on the same
      // date with the same model replaces that day's rows.
      `CREATE TABLE scores (
        customer_id VARCHAR NOT NULL,
        scored_at DATE NOT NULL,
        model_version INTEGER NOT NULL,
        probability DOUBLE NOT NULL,
        tier VARCHAR NOT NULL,
        reasons_en VARCHAR NOT NULL,
        reasons_zh VARCHAR NOT NULL,
        drivers VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
      )`,
    ],
  },
  {
    version: 4,
    name: 'users, sessions, api tokens, audit log',
    // Unlike the ingested tables these hold the service's own state, written one row at a time by code that
    // owns them, so keys are declared: a duplicate username or token is a bug to stop, not data to report.
    // Every time is written from the server's clock (not current_timestamp), so expiry can be tested.
    statements: [
      // `password_hash` is argon2id in PHC format; `must_change_password` is set for one-time passwords.
      `CREATE TABLE users (
        user_id VARCHAR PRIMARY KEY,
        username VARCHAR NOT NULL UNIQUE,
        role VARCHAR NOT NULL,
        password_hash VARCHAR NOT NULL,
        must_change_password BOOLEAN NOT NULL,
        created_at TIMESTAMP NOT NULL,
        password_changed_at TIMESTAMP,
        last_login_at TIMESTAMP
      )`,
      // A session is known by the SHA-256 of its cookie value; `csrf_token` is what unsafe requests echo.
      `CREATE TABLE sessions (
        session_hash VARCHAR PRIMARY KEY,
        user_id VARCHAR NOT NULL,
        csrf_token VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        last_seen_at TIMESTAMP NOT NULL,
        ip VARCHAR,
        user_agent VARCHAR
      )`,
      // Tokens for other systems: only the SHA-256 of the secret is kept (it is shown once); `prefix` is its
      // first characters, enough to recognise it in a list. Revoked tokens stay for the audit trail.
      `CREATE TABLE api_tokens (
        token_id VARCHAR PRIMARY KEY,
        token_hash VARCHAR NOT NULL UNIQUE,
        prefix VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        created_by VARCHAR,
        created_at TIMESTAMP NOT NULL,
        expires_at TIMESTAMP,
        last_used_at TIMESTAMP,
        revoked_at TIMESTAMP
      )`,
      'CREATE SEQUENCE audit_log_ids START 1',
      // Who did what, when, to what: logins, user and token changes, unmasked reads. Append only.
      `CREATE TABLE audit_log (
        audit_id BIGINT NOT NULL DEFAULT nextval('audit_log_ids'),
        occurred_at TIMESTAMP NOT NULL,
        actor VARCHAR,
        actor_role VARCHAR,
        action VARCHAR NOT NULL,
        target VARCHAR,
        detail VARCHAR,
        ip VARCHAR
      )`,
    ],
  },
  {
    version: 5,
    name: 'customer personal fields',
    // Optional personal fields (R23): shown masked to roles without customers:read-unmasked, and every
    // unmasked read is audited. Never used as model features.
    statements: [
      'ALTER TABLE customers ADD COLUMN name VARCHAR',
      'ALTER TABLE customers ADD COLUMN phone VARCHAR',
      'ALTER TABLE customers ADD COLUMN email VARCHAR',
    ],
  },
  {
    version: 6,
    name: 'alerts, outbox',
    // Alerts (R15) and the messages that announce them. An alert and its outbox rows are written in one
    // transaction, so a message is never lost and never sent for an alert that was rolled back; delivery
    // (src/alerts/deliver.ts) then works from `outbox` alone, which is what lets it survive a restart.
    // Every time is written from the caller's clock, as in the security tables.
    statements: [
      // `rule` is the rule's configured name; status new → acknowledged → closed. An open alert (new or
      // acknowledged) blocks another one for the same customer and rule (de-duplication).
      `CREATE TABLE alerts (
        id VARCHAR PRIMARY KEY,
        customer_id VARCHAR NOT NULL,
        rule VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        scored_at DATE NOT NULL,
        model_version INTEGER NOT NULL,
        tier VARCHAR NOT NULL,
        previous_tier VARCHAR,
        probability DOUBLE NOT NULL,
        previous_probability DOUBLE,
        customer_value DOUBLE,
        reasons_en VARCHAR NOT NULL,
        reasons_zh VARCHAR NOT NULL,
        drivers VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        acknowledged_by VARCHAR,
        acknowledged_at TIMESTAMP,
        closed_by VARCHAR,
        closed_at TIMESTAMP
      )`,
      // One row per alert and channel: pending → delivered, or dead after the configured attempts.
      // `next_attempt_at` is also the lease of a message being sent (see src/alerts/outbox.ts).
      `CREATE TABLE outbox (
        id VARCHAR PRIMARY KEY,
        alert_id VARCHAR NOT NULL,
        channel VARCHAR NOT NULL,
        payload VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at TIMESTAMP NOT NULL,
        last_error VARCHAR,
        created_at TIMESTAMP NOT NULL,
        delivered_at TIMESTAMP
      )`,
    ],
  },
  {
    version: 7,
    name: 'retention strategies, campaigns, action events',
    // Retention (R16–R18): the strategy library, operators' parameter overrides, cause-tag overrides, and
    // campaigns with their members (treated and held-out control) and the callbacks of their actions.
    // Service state written by code that owns it, so keys are declared; every time comes from the clock.
    statements: [
      // Templates and the company's own strategies; `conditions` and `parameters` are JSON. Edits bump
      // `version` and are audited; `status` active → paused → retired (final).
      `CREATE TABLE strategies (
        id VARCHAR PRIMARY KEY,
        template_id VARCHAR,
        name_en VARCHAR NOT NULL,
        name_zh VARCHAR NOT NULL,
        description_en VARCHAR NOT NULL,
        description_zh VARCHAR NOT NULL,
        industry VARCHAR NOT NULL,
        action_kind VARCHAR NOT NULL,
        channel VARCHAR NOT NULL,
        conditions VARCHAR NOT NULL,
        unit_cost DOUBLE NOT NULL,
        save_prior DOUBLE NOT NULL,
        parameters VARCHAR NOT NULL,
        budget DOUBLE,
        priority INTEGER NOT NULL,
        status VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        created_at TIMESTAMP NOT NULL,
        created_by VARCHAR,
        updated_at TIMESTAMP NOT NULL
      )`,
      // An operator's parameters for one strategy (customer_id '') or one strategy and customer; the newest
      // replaces the row, the history is in the audit log.
      `CREATE TABLE strategy_overrides (
        strategy_id VARCHAR NOT NULL,
        customer_id VARCHAR NOT NULL,
        parameters VARCHAR NOT NULL,
        updated_at TIMESTAMP NOT NULL,
        updated_by VARCHAR,
        PRIMARY KEY (strategy_id, customer_id)
      )`,
      // A feature's cause tag when the default rule (src/retention/cause-tags.ts) is wrong; NULL: no cause.
      `CREATE TABLE cause_tag_overrides (
        feature VARCHAR PRIMARY KEY,
        tag VARCHAR,
        updated_at TIMESTAMP NOT NULL,
        updated_by VARCHAR
      )`,
      // One row per launched campaign: how its target was chosen (`source`, JSON), the hold-out settings
      // (the seed makes the split reproducible) and the totals at launch.
      `CREATE TABLE campaigns (
        id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        mode VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        budget DOUBLE,
        control_share DOUBLE NOT NULL,
        seed BIGINT NOT NULL,
        prior_weight DOUBLE NOT NULL,
        treated INTEGER NOT NULL,
        control INTEGER NOT NULL,
        cost DOUBLE NOT NULL,
        expected_net_value DOUBLE NOT NULL,
        created_at TIMESTAMP NOT NULL,
        created_by VARCHAR
      )`,
      // Every targeted customer once per campaign, treated or control, with the strategy chosen for them
      // (control members keep theirs, so effects can be measured per strategy) and the figures at launch.
      // Treated members have an `action_id`: the idempotency key the receiving systems see.
      `CREATE TABLE campaign_members (
        campaign_id VARCHAR NOT NULL,
        customer_id VARCHAR NOT NULL,
        arm VARCHAR NOT NULL,
        strategy_id VARCHAR NOT NULL,
        parameters VARCHAR NOT NULL,
        tier VARCHAR NOT NULL,
        causes VARCHAR NOT NULL,
        probability DOUBLE NOT NULL,
        value DOUBLE NOT NULL,
        save_rate DOUBLE NOT NULL,
        unit_cost DOUBLE NOT NULL,
        expected_net_value DOUBLE NOT NULL,
        scored_at DATE NOT NULL,
        model_version INTEGER NOT NULL,
        action_id VARCHAR UNIQUE,
        PRIMARY KEY (campaign_id, customer_id)
      )`,
      // Callbacks from the receiving systems: one row per action and status, the first one kept.
      `CREATE TABLE action_events (
        action_id VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        occurred_at TIMESTAMP NOT NULL,
        received_at TIMESTAMP NOT NULL,
        detail VARCHAR,
        PRIMARY KEY (action_id, status)
      )`,
      // Measured outcomes per campaign and strategy (written by the measurement stage), from which save
      // rates are re-estimated (src/retention/save-rates.ts).
      `CREATE TABLE strategy_measurements (
        campaign_id VARCHAR NOT NULL,
        strategy_id VARCHAR NOT NULL,
        treated INTEGER NOT NULL,
        treated_churned INTEGER NOT NULL,
        control INTEGER NOT NULL,
        control_churned INTEGER NOT NULL,
        measured_at TIMESTAMP NOT NULL,
        PRIMARY KEY (campaign_id, strategy_id)
      )`,
    ],
  },
  {
    version: 8,
    name: 'uplift ranking of campaigns',
    statements: [
      // How a campaign's matching priced its pairs: 'risk' (P(churn) × value × save rate) or 'uplift' (the
      // estimated churn reduction × value, src/retention/uplift-model.ts). NULL for campaigns from before.
      'ALTER TABLE campaigns ADD COLUMN ranking VARCHAR',
      // The member's estimated churn reduction when uplift priced their strategy; NULL otherwise.
      'ALTER TABLE campaign_members ADD COLUMN uplift DOUBLE',
    ],
  },
  {
    version: 9,
    name: 'campaign dispatches',
    statements: [
      // A campaign's actions sent to a configured action webhook (retention.action_webhooks), once per
      // campaign and webhook: its batches are outbox messages (alert_id = the campaign id), so they are
      // delivered, retried and dead-lettered like alerts. The key makes a second send a no-op.
      `CREATE TABLE campaign_dispatches (
        campaign_id VARCHAR NOT NULL,
        webhook VARCHAR NOT NULL,
        actions INTEGER NOT NULL,
        batches INTEGER NOT NULL,
        created_at TIMESTAMP NOT NULL,
        created_by VARCHAR,
        PRIMARY KEY (campaign_id, webhook)
      )`,
    ],
  },
];

/** Applies the migrations not yet recorded; returns the versions applied now. */
export async function migrate(
  warehouse: Warehouse,
  list: readonly Migration[] = migrations,
): Promise<number[]> {
  list.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `migration "${migration.name}" has version ${migration.version}, expected ${index + 1}`,
      );
    }
  });
  await warehouse.run(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name VARCHAR NOT NULL,
      applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
    )`,
  );
  const rows = await warehouse.all<{ version: number }>('SELECT version FROM schema_migrations');
  const done = new Set(rows.map((row) => row.version));
  const newest = Math.max(0, ...done);
  if (newest > list.length) {
    throw new Error(
      `warehouse schema version ${newest} is newer than this churnwatch knows (${list.length})`,
    );
  }
  const applied: number[] = [];
  for (const migration of list) {
    if (done.has(migration.version)) continue;
    await warehouse.transaction(async (tx) => {
      for (const statement of migration.statements) await tx.run(statement);
      await tx.run('INSERT INTO schema_migrations (version, name) VALUES (?, ?)', [
        migration.version,
        migration.name,
      ]);
    });
    applied.push(migration.version);
  }
  return applied;
}

/** The highest applied version (0 for an empty database). */
export async function schemaVersion(warehouse: Warehouse): Promise<number> {
  const [row] = await warehouse.all<{ version: number | null }>(
    'SELECT max(version) AS version FROM schema_migrations',
  );
  return row?.version ?? 0;
}
