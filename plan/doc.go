// Package plan is the third stage: it resolves every default and override
// of a valid catalog per environment (org, environment, service, object, and
// where each effective value came from), computes error budgets and
// burn-rate tiers, and fills {env}/{vars.NAME}. The Plan it builds is the
// contract the CDK side (constructs, stacks) and every report read. The
// checks that need effective values (a page without a route, an alarm span
// over CloudWatch's limit, a tier that cannot fire) are reported by Build.
package plan
