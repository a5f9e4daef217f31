-- Fair webhook delivery (docs/hooks.md#fairness): a claim takes at most a few due deliveries of each project, and a
-- write counts its project's pending deliveries against coco.webhooks.max-pending. Both read one project's pending
-- rows in next_attempt_at order; this index serves them without touching another project's rows.
CREATE INDEX webhook_deliveries_pending_by_project ON webhook_deliveries (project_id, next_attempt_at)
    WHERE status = 'pending';
