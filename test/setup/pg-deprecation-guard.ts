import { afterAll, afterEach } from "vitest";
import { failOnPgDeprecations } from "../support/pg-deprecations.js";

// Fails the test (or, in a file's hooks, the file) during which pg printed a deprecation warning,
// such as a query sent to a client still executing one: each is a bug that pg@9 makes an error.
// Node prints a given deprecation once per process, so the first occurrence is the one that fails.
afterEach(failOnPgDeprecations);
afterAll(failOnPgDeprecations);
