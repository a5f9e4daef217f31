-- Failed logins, shared by every app node (issue 14 §1): a throttle that counted in each node's memory would let
-- an attacker guess nodes × limit passwords per window behind a load balancer. One row per throttled key (an
-- account or a client address) within a scope (console logins, a project's app-user logins): the failures since
-- the window began; a failure past the window starts a new one. App-user rows carry their project (no foreign key:
-- a row is worthless once its window has passed, and rows are pruned by age, a deleted project's with the rest).
CREATE TABLE login_failures (
    scope        text        NOT NULL,
    key          text        NOT NULL,
    project_id   uuid,
    failures     integer     NOT NULL,
    window_start timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);

-- Rows whose window has passed are pruned by age.
CREATE INDEX login_failures_by_age ON login_failures (window_start);
