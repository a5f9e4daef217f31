-- Membership is offered, not imposed: a project admin invites an email address, and the console account with
-- that address accepts (or declines). Inviting answers the same whether or not such an account exists.
CREATE TABLE project_invitations (
    project_id uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id         uuid        NOT NULL,
    email      text        NOT NULL,
    role       text        NOT NULL CHECK (role IN ('owner', 'admin', 'developer', 'viewer')),
    invited_by uuid        REFERENCES admin_accounts (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (project_id, id)
);
CREATE UNIQUE INDEX project_invitations_one_per_address ON project_invitations (project_id, lower(email));
CREATE INDEX project_invitations_invitee ON project_invitations (lower(email));
