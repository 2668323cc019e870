#!/usr/bin/env node
// Checks that the gcloud output and the Terraform output of one render deploy the same
// configuration. Both are parsed (the Knative and Compute YAML files under gcloud/ with the `yaml`
// package; terraform/main.tf and variables.tf with HashiCorp's HCL parser, `@cdktf/hcl2json`,
// resolving `each.value.*`, `local.*` and `var.*` against the parsed locals and variable defaults),
// reduced to one description of what gets deployed, and compared field by field:
//
// - Cloud Run, per region: image, port, CPU, memory, CPU idle, concurrency, request timeout,
//   min/max instances, env, ingress, the invoker IAM check, IAP, service account, execution
//   environment, labels, and the startup, liveness and readiness probes; under
//   `deployment: multi-region`, the one service's region list;
// - load balancer: each region's serverless NEG, the backend services with their NEGs, IAP,
//   outlier detection, Cloud CDN (enabled, cache mode, TTLs, negative caching) and Cloud Armor
//   policy (deploy.sh's SECURITY_POLICY), the generated Cloud Armor policy
//   (gcloud/security-policy.yaml: type, rules with their match and rate limit, Adaptive
//   Protection), and the URL map's default service or weighted split.
//
// What the two cannot share is not compared: the fingerprints (gcloud's convergence), and the
// load-balancer frontend (address, certificate, proxies, forwarding rules), which deploy.sh
// creates with flags rather than files; the golden snapshots and the provider schema check cover
// those.
//
// Usage:
//   node tests/external/check-parity.mjs DIR...      DIR is a rendered output dir (gcloud/ and terraform/)
//   node tests/external/check-parity.mjs --self-test  a render checks out, and a tampered copy of it fails
//
// Exit status: 0 when every dir's outputs match, 1 when any differ, 2 on a usage error.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parse as parseHcl } from "@cdktf/hcl2json";
import YAML from "yaml";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const basename = (url) => url.split("/").pop();

// ---- gcloud ---------------------------------------------------------------------------------

function gcloudService(doc) {
  const annotations = doc.metadata.annotations ?? {};
  const template = doc.spec.template;
  const tAnnotations = template.metadata?.annotations ?? {};
  const container = template.spec.containers[0];
  const probe = (p) =>
    p && {
      path: p.httpGet.path,
      port: p.httpGet.port,
      period: p.periodSeconds,
      timeout: p.timeoutSeconds,
      failures: p.failureThreshold,
      successes: p.successThreshold ?? 1,
    };
  const labels = { ...(doc.metadata.labels ?? {}) };
  delete labels["multirun-fingerprint"];
  return {
    image: container.image,
    port: container.ports[0].containerPort,
    cpu: String(container.resources.limits.cpu),
    memory: container.resources.limits.memory,
    // Knative: CPU is throttled between requests unless run.googleapis.com/cpu-throttling says "false".
    cpuIdle: tAnnotations["run.googleapis.com/cpu-throttling"] !== "false",
    concurrency: template.spec.containerConcurrency,
    timeout: template.spec.timeoutSeconds,
    min: Number(tAnnotations["autoscaling.knative.dev/minScale"]),
    max: Number(tAnnotations["autoscaling.knative.dev/maxScale"]),
    env: Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value])),
    ingress: annotations["run.googleapis.com/ingress"],
    invokerIamDisabled: annotations["run.googleapis.com/invoker-iam-disabled"] === "true",
    iap: annotations["run.googleapis.com/iap-enabled"] === "true",
    serviceAccount: template.spec.serviceAccountName ?? null,
    executionEnvironment: tAnnotations["run.googleapis.com/execution-environment"] ?? null,
    labels,
    probes: { startup: probe(container.startupProbe), liveness: probe(container.livenessProbe), readiness: probe(container.readinessProbe) ?? null },
  };
}

function gcloudSide(dir) {
  const read = (file) => YAML.parse(fs.readFileSync(path.join(dir, "gcloud", file), "utf8"));
  const files = fs.readdirSync(path.join(dir, "gcloud")).sort();
  const services = {};
  let multiRegion = null;
  if (files.includes("run-service.yaml")) {
    const doc = read("run-service.yaml");
    multiRegion = doc.metadata.annotations["run.googleapis.com/regions"].split(",");
    for (const region of multiRegion) services[region] = gcloudService(doc);
  } else {
    for (const file of files.filter((f) => /^run-service-.+\.yaml$/.test(f))) {
      services[file.slice("run-service-".length, -".yaml".length)] = gcloudService(read(file));
    }
  }
  const negs = {};
  const backendServices = {};
  for (const file of files.filter((f) => f.startsWith("backend-service"))) {
    const doc = read(file);
    const groups = doc.backends.map((b) => b.group);
    for (const group of groups) negs[group.split("/regions/")[1].split("/")[0]] = basename(group);
    const od = doc.outlierDetection;
    backendServices[doc.name] = {
      scheme: doc.loadBalancingScheme,
      securityPolicy: deployShVariable(dir, "SECURITY_POLICY") || null,
      cdn: doc.enableCDN
        ? {
            cacheMode: doc.cdnPolicy.cacheMode,
            defaultTtl: doc.cdnPolicy.defaultTtl ?? null,
            maxTtl: doc.cdnPolicy.maxTtl ?? null,
            clientTtl: doc.cdnPolicy.clientTtl ?? null,
            negativeCaching: doc.cdnPolicy.negativeCaching ?? false,
          }
        : null,
      negs: groups.map(basename).sort(),
      iap: doc.iap?.enabled === true,
      outlierDetection: od
        ? {
            consecutiveGatewayFailure: od.consecutiveGatewayFailure,
            enforcingConsecutiveGatewayFailure: od.enforcingConsecutiveGatewayFailure,
            enforcingConsecutiveErrors: od.enforcingConsecutiveErrors,
            maxEjectionPercent: od.maxEjectionPercent,
            interval: od.interval.seconds,
            baseEjectionTime: od.baseEjectionTime.seconds,
          }
        : null,
    };
  }
  const urlMap = read("url-map.yaml");
  const routing = urlMap.defaultService
    ? { defaultService: basename(urlMap.defaultService) }
    : { weighted: Object.fromEntries(urlMap.defaultRouteAction.weightedBackendServices.map((w) => [basename(w.backendService), w.weight])) };
  const securityPolicy = files.includes("security-policy.yaml") ? gcloudSecurityPolicy(read("security-policy.yaml")) : null;
  return { multiRegion, services, negs, backendServices, securityPolicy, urlMap: { name: urlMap.name, ...routing } };
}

// A shell variable deploy.sh sets from the spec: a plain word, or single-quoted (`'it'\''s'`).
function deployShVariable(dir, name) {
  const script = fs.readFileSync(path.join(dir, "deploy.sh"), "utf8");
  const m = new RegExp(`^${name}=(.*)$`, "m").exec(script);
  if (!m) return "";
  const v = m[1];
  return v.startsWith("'") && v.endsWith("'") ? v.slice(1, -1).replaceAll("'\\''", "'") : v;
}

function gcloudSecurityPolicy(doc) {
  return {
    name: doc.name,
    type: doc.type,
    adaptiveProtection: doc.adaptiveProtectionConfig?.layer7DdosDefenseConfig?.enable ?? false,
    rules: doc.rules.map((r) => ({
      priority: r.priority,
      action: r.action,
      description: r.description ?? null,
      preview: r.preview ?? false,
      expression: r.match.expr?.expression ?? null,
      srcIpRanges: r.match.config?.srcIpRanges ?? null,
      rateLimit: r.rateLimitOptions
        ? {
            conformAction: r.rateLimitOptions.conformAction,
            exceedAction: r.rateLimitOptions.exceedAction,
            enforceOnKey: r.rateLimitOptions.enforceOnKey ?? null,
            count: r.rateLimitOptions.rateLimitThreshold.count,
            intervalSec: r.rateLimitOptions.rateLimitThreshold.intervalSec,
            banDurationSec: r.rateLimitOptions.banDurationSec ?? null,
          }
        : null,
    })),
  };
}

function terraformSecurityPolicy(policy) {
  if (!policy) return null;
  const one = (block) => (block ? block[0] : undefined);
  const adaptive = one(one(policy.adaptive_protection_config)?.layer_7_ddos_defense_config);
  return {
    name: policy.name,
    type: policy.type,
    adaptiveProtection: adaptive?.enable ?? false,
    rules: policy.rule.map((r) => {
      const match = one(r.match);
      const limit = one(r.rate_limit_options);
      return {
        priority: r.priority,
        action: r.action,
        // Spec text: a quoted HCL literal keeps `$${` and `%%{` escaped (see `unescape`).
        description: r.description === undefined ? null : unescape(r.description),
        preview: r.preview ?? false,
        expression: one(match.expr)?.expression === undefined ? null : unescape(one(match.expr).expression),
        srcIpRanges: one(match.config)?.src_ip_ranges?.map(unescape) ?? null,
        rateLimit: limit
          ? {
              conformAction: limit.conform_action,
              exceedAction: limit.exceed_action,
              enforceOnKey: limit.enforce_on_key ?? null,
              count: one(limit.rate_limit_threshold).count,
              intervalSec: one(limit.rate_limit_threshold).interval_sec,
              banDurationSec: limit.ban_duration_sec ?? null,
            }
          : null,
      };
    }),
  };
}

// ---- Terraform ------------------------------------------------------------------------------

// hcl2json gives a quoted literal's template text: `$${` and `%%{` still escaped.
const unescape = (text) => text.replaceAll("$${", "${").replaceAll("%%{", "%{");
function unescapeAll(value) {
  if (typeof value === "string") return unescape(value);
  if (Array.isArray(value)) return value.map(unescapeAll);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [unescape(k), unescapeAll(v)]));
  return value;
}

const INGRESS = {
  INGRESS_TRAFFIC_ALL: "all",
  INGRESS_TRAFFIC_INTERNAL_ONLY: "internal",
  INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER: "internal-and-cloud-load-balancing",
};

async function terraformSide(dir) {
  const tf = {};
  for (const file of ["main.tf", "variables.tf"]) {
    Object.assign(tf, { [file]: await parseHcl(file, fs.readFileSync(path.join(dir, "terraform", file), "utf8")) });
  }
  const main = tf["main.tf"];
  const locals = Object.assign({}, ...main.locals);
  const vars = Object.fromEntries(Object.entries(tf["variables.tf"].variable).map(([k, v]) => [k, v[0].default]));
  // A value as deployed in `region`: literals as they are, the references the templates use resolved.
  const value = (v, region) => {
    if (v && typeof v === "object") return unescapeAll(v);
    if (typeof v !== "string") return v;
    const m = /^\$\{(.+)\}$/.exec(v);
    if (!m) return unescape(v);
    const ref = m[1];
    if (ref.startsWith("var.")) return vars[ref.slice(4)];
    if (ref.startsWith("each.value.")) return unescapeAll(locals.regions[region][ref.slice("each.value.".length)]);
    if (ref === "each.key") return region;
    if (ref.startsWith("local.")) return unescapeAll(locals[ref.slice(6)]);
    throw new Error(`unresolved reference ${v}`);
  };
  const service = main.resource.google_cloud_run_v2_service.service[0];
  const multiRegion = service.location === "global" ? value(service.multi_region_settings[0].regions) : null;
  const regions = multiRegion ?? Object.keys(locals.regions);
  const one = (block) => (block ? block[0] : undefined);
  const probe = (p, region) =>
    p && {
      path: value(one(p.http_get).path, region),
      port: value(one(p.http_get).port, region),
      period: p.period_seconds,
      timeout: p.timeout_seconds,
      failures: p.failure_threshold,
      successes: p.success_threshold ?? 1,
    };
  const services = {};
  for (const region of regions) {
    const template = one(service.template);
    const container = one(template.containers);
    const limits = one(container.resources).limits;
    const scaling = one(template.scaling);
    const envBlock = one(container.dynamic.env);
    services[region] = {
      image: value(container.image, region),
      port: one(container.ports).container_port,
      cpu: String(limits.cpu),
      memory: limits.memory,
      cpuIdle: one(container.resources).cpu_idle ?? true,
      concurrency: template.max_instance_request_concurrency,
      timeout: Number(String(template.timeout).replace(/s$/, "")),
      min: Number(value(scaling.min_instance_count, region)),
      max: Number(value(scaling.max_instance_count, region)),
      env: { ...value(envBlock.for_each, region) },
      ingress: INGRESS[service.ingress],
      invokerIamDisabled: service.invoker_iam_disabled === true,
      iap: service.iap_enabled === true,
      serviceAccount: template.service_account ?? null,
      executionEnvironment:
        { EXECUTION_ENVIRONMENT_GEN1: "gen1", EXECUTION_ENVIRONMENT_GEN2: "gen2" }[template.execution_environment] ??
        template.execution_environment ??
        null,
      labels: { ...value(service.labels, region) },
      probes: {
        startup: probe(one(container.startup_probe), region),
        liveness: probe(one(container.liveness_probe), region),
        readiness: probe(one(container.readiness_probe), region) ?? null,
      },
    };
  }
  const negs = Object.fromEntries(Object.keys(locals.regions).map((r) => [r, locals.regions[r].neg_name]));
  const backend = main.resource.google_compute_backend_service.backend[0];
  const od = one(backend.outlier_detection);
  const outlierDetection = od
    ? {
        consecutiveGatewayFailure: od.consecutive_gateway_failure,
        enforcingConsecutiveGatewayFailure: od.enforcing_consecutive_gateway_failure,
        enforcingConsecutiveErrors: od.enforcing_consecutive_errors,
        maxEjectionPercent: od.max_ejection_percent,
        interval: one(od.interval).seconds,
        baseEjectionTime: one(od.base_ejection_time).seconds,
      }
    : null;
  const iap = one(backend.iap)?.enabled === true;
  const armor = main.resource.google_compute_security_policy?.armor?.[0];
  const securityPolicy =
    backend.security_policy === undefined ? null : backend.security_policy === "${google_compute_security_policy.armor.id}" ? armor.name : value(backend.security_policy);
  const cdnPolicy = one(backend.cdn_policy);
  const cdn = backend.enable_cdn
    ? {
        cacheMode: cdnPolicy.cache_mode,
        defaultTtl: cdnPolicy.default_ttl ?? null,
        maxTtl: cdnPolicy.max_ttl ?? null,
        clientTtl: cdnPolicy.client_ttl ?? null,
        negativeCaching: cdnPolicy.negative_caching ?? false,
      }
    : null;
  const backendServices = {};
  if (backend.for_each) {
    for (const r of Object.keys(locals.regions)) {
      backendServices[locals.regions[r].backend_service_name] = { scheme: backend.load_balancing_scheme, securityPolicy, cdn, negs: [negs[r]], iap, outlierDetection };
    }
  } else {
    backendServices[backend.name] = { scheme: backend.load_balancing_scheme, securityPolicy, cdn, negs: Object.values(negs).sort(), iap, outlierDetection };
  }
  const urlMap = main.resource.google_compute_url_map.url_map[0];
  const routing = urlMap.default_service
    ? { defaultService: backend.name }
    : { weighted: Object.fromEntries(Object.keys(locals.regions).map((r) => [locals.regions[r].backend_service_name, locals.regions[r].weight])) };
  return { multiRegion, services, negs, backendServices, securityPolicy: terraformSecurityPolicy(armor), urlMap: { name: urlMap.name, ...routing } };
}

// ---- Comparing ------------------------------------------------------------------------------

// Strings in NFC: HCL normalizes every string literal to NFC when it parses it (so Terraform
// deploys the NFC form of a value), YAML keeps the code points as written.
function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])]));
  if (typeof value === "string") return value.normalize("NFC");
  return value;
}

function differences(a, b, where = "") {
  if (JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))) return [];
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => differences(a[k], b[k], `${where}.${k}`));
  }
  return [`${where || "."}: gcloud ${JSON.stringify(a)}, terraform ${JSON.stringify(b)}`];
}

async function checkDir(dir) {
  try {
    return differences(gcloudSide(dir), await terraformSide(dir));
  } catch (e) {
    return [`cannot compare: ${e.message}`];
  }
}

async function selfTest() {
  const spec = path.join(HERE, "..", "fixtures", "render", "multi-region-3", "spec.yaml");
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "parity-"));
  try {
    const cli = path.join(HERE, "..", "..", "target", "debug", "multirun");
    execFileSync(fs.existsSync(cli) ? cli : "multirun", ["render", spec, "--out", out], { stdio: "ignore" });
    const clean = await checkDir(out);
    const main = path.join(out, "terraform", "main.tf");
    fs.writeFileSync(main, fs.readFileSync(main, "utf8").replace("failure_threshold = 9", "failure_threshold = 8"));
    const tampered = await checkDir(out);
    const ok = clean.length === 0 && tampered.length > 0 && tampered.every((d) => d.includes("probes.liveness.failures"));
    console.log(`self-test: ${ok ? "passed" : `FAILED (clean: ${clean.join("; ") || "ok"}; tampered: ${tampered.join("; ") || "not caught"})`}`);
    return ok;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

async function main(argv) {
  if (argv.length === 0) {
    console.error("usage: check-parity.mjs DIR... | --self-test");
    return 2;
  }
  if (argv[0] === "--self-test") return (await selfTest()) ? 0 : 1;
  let failed = 0;
  let checked = 0;
  for (const dir of argv) {
    if (!fs.existsSync(path.join(dir, "gcloud")) || !fs.existsSync(path.join(dir, "terraform"))) continue;
    checked++;
    const diffs = await checkDir(dir);
    if (diffs.length) {
      failed++;
      console.log(`FAIL  ${dir}:`);
      for (const d of diffs) console.log(`        ${d}`);
    }
  }
  console.log(`check-parity: ${checked - failed} of ${checked} renders deploy the same configuration with gcloud and Terraform`);
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
