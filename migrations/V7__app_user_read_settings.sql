-- Who besides a server key may read a project's app users through the client API, and which of their
-- fields others see (README "What each caller can read"). The empty object is the closed default:
-- each signed-in user reads only their own record; listing users and reading others needs a server key.
-- Written only through PUT /admin/api/v1/projects/{p}/users/settings, which checks the shape.
ALTER TABLE projects ADD COLUMN app_user_settings jsonb NOT NULL DEFAULT '{}'::jsonb;
