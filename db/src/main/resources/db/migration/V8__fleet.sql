-- A fleet (issue #17): every queued run has a target machine, and whoever measures it holds it under a lease.
-- target_machine_id: the machine a queued run must be measured on (null for uploads); lease_holder: who measures it
-- now ('server:<instance>' for a server's own runner, 'agent:<session>' for an agent); lease_expires_at: when the
-- run is given up (interrupted) unless its holder renews the lease; cancel_requested: a cancel on its way to the
-- holder, which learns of it when it next renews.
ALTER TABLE run ADD COLUMN target_machine_id BIGINT;
ALTER TABLE run ADD COLUMN lease_holder VARCHAR(100);
ALTER TABLE run ADD COLUMN lease_expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE run ADD COLUMN cancel_requested BOOLEAN DEFAULT FALSE NOT NULL;
UPDATE run SET target_machine_id = machine_id WHERE spec_json IS NOT NULL;
CREATE INDEX ix_run_target ON run (target_machine_id, status, created_at);
CREATE INDEX ix_run_lease ON run (status, lease_expires_at);

-- An agent: the process that takes a machine's queued runs. One per machine; its token is the one that registered
-- it, and only that token may claim and report the machine's runs. session changes with every start of the agent.
CREATE TABLE agent (
    machine_id      BIGINT        NOT NULL,
    token_id        BIGINT        NOT NULL,
    session         VARCHAR(36)   NOT NULL,
    version         VARCHAR(100),
    registered_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen       TIMESTAMP WITH TIME ZONE NOT NULL,
    runtimes_json   VARCHAR(200000) NOT NULL,
    CONSTRAINT pk_agent PRIMARY KEY (machine_id),
    CONSTRAINT fk_agent_machine FOREIGN KEY (machine_id) REFERENCES machine (id) ON DELETE CASCADE,
    CONSTRAINT fk_agent_token FOREIGN KEY (token_id) REFERENCES api_token (id)
);
