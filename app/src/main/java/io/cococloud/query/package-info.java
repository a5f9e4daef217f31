/**
 * The query language of the client API and {@code db}: filters ({@code age_gte=18}, {@code [or]} groups), field
 * paths and sort keys, compiled to a {@link io.cococloud.query.SqlCondition} with bound parameters only. Documents
 * ({@code data}) and app users ({@code appuser}) both speak it, over tables with the same column names (id,
 * created_at, updated_at, data); it knows neither of them, so both may depend on it.
 */
package io.cococloud.query;
