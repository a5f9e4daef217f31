-- Static files keep a gzip copy of compressible content (text, JSON, JS, SVG... over a size), made
-- once at upload, so serving a compressed answer costs no CPU per request. NULL when the file does not
-- compress or is too small to bother. The copy is compressed already: TOAST need not try again.
ALTER TABLE static_files ADD COLUMN gzip bytea;
ALTER TABLE static_files ALTER COLUMN gzip SET STORAGE EXTERNAL;
