// jsbaseline.js: the JavaScript baseline of `make bench` (issue 18).
//
// It reads a cloud assembly that slocat synth wrote and builds the same
// stacks again with plain aws-cdk-lib in one Node.js process, every resource
// a `new CfnResource(scope, id, {type, properties})` at the construct path the
// template records (aws:cdk:path), then synthesizes them with the same app
// settings and context as stacks.Synth. The time it takes is what the same
// templates cost without jsii and without the typed L1 classes, so
// benchtool can print slocat's time as a ratio of it.
//
//   node jsbaseline.js --in ASSEMBLY --out DIR [--no-validate]
//   node jsbaseline.js --print-context
//
// aws-cdk-lib and constructs are resolved through NODE_PATH: benchtool
// unpacks the very tarballs the Go modules embed, so both sides run the same
// library version. It prints one JSON line of timings (milliseconds) on stdout.
'use strict';

const fs = require('fs');
const path = require('path');

// The context of stacks.Context (stacks/synth.go); TestJSBaselineContext
// holds the two equal.
const CONTEXT = {
  '@aws-cdk/core:validateAgainstDefaultRules': true,
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
  '@aws-cdk/core:explicitStackTags': true,
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:version-reporting': false,
};

function parseArgs(argv) {
  const opts = { validate: true };
  for (let i = 0; i < argv.length; i++) {
    switch (argv[i]) {
      case '--in': opts.in = argv[++i]; break;
      case '--out': opts.out = argv[++i]; break;
      case '--no-validate': opts.validate = false; break;
      case '--print-context': opts.printContext = true; break;
      default: throw new Error(`jsbaseline: unknown argument ${argv[i]}`);
    }
  }
  if (!opts.printContext && (!opts.in || !opts.out)) {
    throw new Error('jsbaseline: --in ASSEMBLY and --out DIR are required');
  }
  return opts;
}

// readAssembly returns the stacks of the assembly in manifest order, each
// with its template, environment, tags and the stacks it depends on.
function readAssembly(dir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const stacks = [];
  for (const [id, a] of Object.entries(manifest.artifacts || {})) {
    if (a.type !== 'aws:cloudformation:stack') continue;
    const m = /^aws:\/\/([^/]+)\/(.+)$/.exec(a.environment || '');
    stacks.push({
      id,
      env: m ? { account: m[1], region: m[2] } : undefined,
      tags: (a.properties && a.properties.tags) || {},
      dependencies: (a.dependencies || []).filter((d) => manifest.artifacts[d] && manifest.artifacts[d].type === 'aws:cloudformation:stack'),
      template: JSON.parse(fs.readFileSync(path.join(dir, a.properties.templateFile), 'utf8')),
    });
  }
  return stacks;
}

// The sections the stack synthesizer writes itself (DefaultStackSynthesizer's
// bootstrap version check); every other section is rebuilt.
const SYNTHESIZER_PARAMETERS = new Set(['BootstrapVersion']);
const SYNTHESIZER_RULES = new Set(['CheckBootstrapVersion']);

// The order in which CfnResource renders a resource's attributes, before
// its raw overrides.
// (slocat makes no conditions, so neither sections nor attributes of them
// are rebuilt.)
const RENDER_ORDER = ['Type', 'Properties', 'DependsOn', 'CreationPolicy', 'UpdatePolicy', 'UpdateReplacePolicy', 'DeletionPolicy', 'Version', 'Description', 'Metadata'];

// scopeFor returns the construct at the path of a resource below its stack
// (plain Constructs for the levels between) and the id to give it.
function scopeFor(cdkConstructs, stack, cdkPath) {
  const parts = cdkPath.split('/');
  if (parts[0] !== stack.node.id) throw new Error(`resource path ${cdkPath} is outside stack ${stack.node.id}`);
  let scope = stack;
  for (const p of parts.slice(1, -1)) {
    scope = scope.node.tryFindChild(p) || new cdkConstructs.Construct(scope, p);
  }
  return { scope, id: parts[parts.length - 1] };
}

function buildStack(cdk, cdkConstructs, app, s) {
  const t = s.template;
  const stack = new cdk.Stack(app, s.id, {
    stackName: s.id,
    env: s.env,
    description: t.Description,
    tags: s.tags,
  });
  // A template's sections come in the order of their first element in the
  // construct tree (a service stack's first may be an SSM parameter or a
  // resource), so the sections are rebuilt in the template's order.
  const resources = new Map();
  for (const section of Object.keys(t)) {
    switch (section) {
      case 'Description': break;
      case 'Resources':
        for (const [logicalId, r] of Object.entries(t.Resources)) resources.set(logicalId, buildResource(cdk, cdkConstructs, stack, logicalId, r));
        break;
      case 'Parameters':
        for (const [id, p] of Object.entries(t.Parameters)) {
          if (SYNTHESIZER_PARAMETERS.has(id)) continue;
          // CfnParameterProps are the template's keys in camelCase.
          const props = Object.fromEntries(Object.entries(p).map(([k, v]) => [k[0].toLowerCase() + k.slice(1), v]));
          new cdk.CfnParameter(stack, id, props).overrideLogicalId(id);
        }
        break;
      case 'Outputs':
        for (const [id, o] of Object.entries(t.Outputs)) {
          if (o.Condition) throw new Error(`${s.id}: output ${id} has a condition, which is not rebuilt`);
          new cdk.CfnOutput(stack, id, {
            value: o.Value,
            description: o.Description,
            exportName: o.Export && o.Export.Name,
          }).overrideLogicalId(id);
        }
        break;
      case 'Rules':
        for (const id of Object.keys(t.Rules)) {
          if (!SYNTHESIZER_RULES.has(id)) throw new Error(`${s.id}: rule ${id} is not rebuilt`);
        }
        break;
      default:
        throw new Error(`${s.id}: template section ${section} is not rebuilt`);
    }
  }
  for (const { res, dependsOn } of resources.values()) {
    for (const d of [].concat(dependsOn || [])) res.addResourceDependency(resources.get(d).res);
  }
  return stack;
}

// buildResource makes one resource as a CfnResource at its construct path;
// its DependsOn, unless an override, is left to the caller (it may name
// resources made after it).
function buildResource(cdk, cdkConstructs, stack, logicalId, r) {
  const meta = r.Metadata || {};
  const at = scopeFor(cdkConstructs, stack, meta['aws:cdk:path'] || `${stack.node.id}/${logicalId}`);
  const res = new cdk.CfnResource(at.scope, at.id, { type: r.Type, properties: r.Properties });
  res.overrideLogicalId(logicalId);
  // CfnResource renders its attributes in RENDER_ORDER, then its raw
  // overrides; an attribute that follows one later in that order was an
  // override (e.g. DependsOn set by addOverride), and is set as one.
  let last = -1;
  const overrides = [];
  for (const k of Object.keys(r)) {
    const i = RENDER_ORDER.indexOf(k);
    if (i < 0) throw new Error(`${stack.node.id}/${logicalId}: resource attribute ${k} is not rebuilt`);
    if (i < last) {
      overrides.push(k);
      continue;
    }
    last = i;
    switch (k) {
      case 'Metadata':
        for (const [mk, mv] of Object.entries(meta)) {
          if (mk !== 'aws:cdk:path') res.addMetadata(mk, mv);
        }
        break;
      case 'DeletionPolicy': res.cfnOptions.deletionPolicy = r[k]; break;
      case 'UpdateReplacePolicy': res.cfnOptions.updateReplacePolicy = r[k]; break;
      case 'UpdatePolicy': res.cfnOptions.updatePolicy = r[k]; break;
      case 'CreationPolicy': res.cfnOptions.creationPolicy = r[k]; break;
      case 'Version': res.cfnOptions.version = r[k]; break;
      case 'Description': res.cfnOptions.description = r[k]; break;
    }
  }
  for (const k of overrides) res.addOverride(k, r[k]);
  return { res, dependsOn: overrides.includes('DependsOn') ? undefined : r.DependsOn };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.printContext) {
    process.stdout.write(JSON.stringify(CONTEXT) + '\n');
    return;
  }
  let t0 = process.hrtime.bigint();
  const ms = () => {
    const now = process.hrtime.bigint();
    const d = Number(now - t0) / 1e6;
    t0 = now;
    return Math.round(d);
  };
  const stacks = readAssembly(opts.in);
  const read = ms();
  const cdk = require('aws-cdk-lib');
  const cdkConstructs = require('constructs');
  const startup = ms();
  const app = new cdk.App({
    outdir: opts.out,
    postCliContext: { ...CONTEXT },
    analyticsReporting: false,
    stackTraces: false,
    treeMetadata: false,
    builtinCloudFormationValidation: opts.validate,
  });
  const byId = new Map();
  let resources = 0;
  for (const s of stacks) {
    byId.set(s.id, buildStack(cdk, cdkConstructs, app, s));
    resources += Object.keys(s.template.Resources || {}).length;
  }
  for (const s of stacks) {
    for (const d of s.dependencies) byId.get(s.id).addStackDependency(byId.get(d));
  }
  const construct = ms();
  app.synth();
  const synth = ms();
  process.stdout.write(JSON.stringify({
    stacks: stacks.length,
    resources,
    validate: opts.validate,
    readMs: read,
    startupMs: startup,
    constructMs: construct,
    synthMs: synth,
    totalMs: startup + construct + synth,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + '\n');
}

main();
