/**
 * The HTTP security of every surface (admin API and console, public surfaces): the filter chains, which wire the
 * filters of the modules below (the admin token filter) and the problem answers of {@code web}. Nothing depends on
 * this module.
 */
package io.cococloud.security;
