/**
 * The domain's refusals: what a service throws when a request cannot be done as asked. They name the problem in
 * words for the person who made the request and carry no HTTP: each surface turns them into its own answer (the
 * admin and client APIs into problem details, the execution surface into its envelope, Python into an exception).
 */
package io.cococloud.error;
