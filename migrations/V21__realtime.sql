-- Realtime (docs/realtime.md). What a subscriber on any node must see goes through PostgreSQL: an event row is
-- written (in the write's own transaction for a document change), and a notification carrying its id tells every
-- node to read it. Rows live a few minutes (a sweep drops them).
CREATE TABLE realtime_events (
    id         bigserial   PRIMARY KEY,
    project_id uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    topic      text        NOT NULL,
    body       jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX realtime_events_created ON realtime_events (created_at);

-- One row per live WebSocket connection of any node, held by a lease its node renews: which collections are
-- watched anywhere (so a write on a collection nobody watches records nothing), who is in a room, and how many
-- connections a project has across nodes. A node that dies leaves rows that expire with their lease.
CREATE TABLE realtime_connections (
    id           uuid        PRIMARY KEY,
    node_id      text        NOT NULL,
    project_id   uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind         text        NOT NULL CHECK (kind IN ('collection', 'broadcast', 'room')),
    topic        text        NOT NULL,
    user_id      text,
    user_name    text,
    connected_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX realtime_connections_topic ON realtime_connections (project_id, kind, topic);
CREATE INDEX realtime_connections_node ON realtime_connections (node_id);

CREATE TABLE realtime_rooms (
    project_id uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id         text        NOT NULL,
    title      text        NOT NULL,
    created_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, id)
);
