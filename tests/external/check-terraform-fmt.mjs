#!/usr/bin/env node
// Checks that generated Terraform is `terraform fmt`-clean, with the formatter `terraform fmt`
// itself runs: hclwrite.Format from hashicorp/hcl, in its WebAssembly build (npm
// `@cdktf/hcl-tools`), so no terraform binary is needed. Where a `terraform` binary is on PATH,
// `terraform fmt -check` runs as well (it needs no provider and no network).
//
// Usage:
//   node tests/external/check-terraform-fmt.mjs DIR...     every `*.tf` in DIR/terraform (or DIR)
//   node tests/external/check-terraform-fmt.mjs --self-test
//                                      tests/external/fixtures/terraform-fmt/: `formatted.tf` must
//                                      pass and `unformatted.tf` must fail
//
// Exit status: 0 when every file is formatted, 1 when any is not, 2 on a usage error.

import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { format } from "@cdktf/hcl-tools";

const HERE = path.dirname(fileURLToPath(import.meta.url));

function hasTerraform() {
  return spawnSync("terraform", ["version"], { stdio: "ignore" }).status === 0;
}

/** The problems of one file: empty when both formatters leave it as it is. */
async function checkFile(file, terraform) {
  const problems = [];
  const source = fs.readFileSync(file, "utf8");
  const formatted = await format(source);
  if (formatted !== source) {
    const a = source.split("\n");
    const b = formatted.split("\n");
    const line = a.findIndex((l, i) => l !== b[i]);
    problems.push(`${file}:${line + 1}: not formatted (hclwrite.Format writes ${JSON.stringify(b[line])})`);
  }
  if (terraform) {
    // -no-color: the diff goes into the report as plain text.
    const run = spawnSync("terraform", ["fmt", "-check", "-diff", "-no-color", file], { encoding: "utf8" });
    if (run.status !== 0) problems.push(`${file}: terraform fmt -check failed:\n${run.stdout}${run.stderr}`);
  }
  return problems;
}

function tfFiles(dir) {
  const tfDir = fs.existsSync(path.join(dir, "terraform")) ? path.join(dir, "terraform") : dir;
  if (!fs.existsSync(tfDir)) return [];
  return fs.readdirSync(tfDir).filter((f) => f.endsWith(".tf")).sort().map((f) => path.join(tfDir, f));
}

async function main(argv) {
  if (argv.length === 0) {
    console.error("usage: check-terraform-fmt.mjs DIR... | --self-test");
    return 2;
  }
  const terraform = hasTerraform();
  console.log(`formatters: hclwrite.Format (@cdktf/hcl-tools)${terraform ? " and terraform fmt -check" : "; no terraform binary on PATH, so not terraform fmt itself"}`);
  if (argv[0] === "--self-test") {
    const root = path.join(HERE, "fixtures", "terraform-fmt");
    const good = await checkFile(path.join(root, "formatted.tf"), terraform);
    const bad = await checkFile(path.join(root, "unformatted.tf"), terraform);
    const ok = good.length === 0 && bad.length === (terraform ? 2 : 1);
    console.log(`self-test: ${ok ? "passed" : `FAILED (formatted: ${good.join("; ") || "ok"}; unformatted: ${bad.length} problem(s))`}`);
    return ok ? 0 : 1;
  }
  let files = 0;
  let failed = 0;
  for (const dir of argv) {
    const found = tfFiles(dir);
    if (found.length === 0) continue;
    for (const file of found) {
      files++;
      const problems = await checkFile(file, terraform);
      if (problems.length) {
        failed++;
        for (const p of problems) console.log(`FAIL  ${p}`);
      }
    }
  }
  console.log(`check-terraform-fmt: ${files - failed} of ${files} files formatted`);
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
