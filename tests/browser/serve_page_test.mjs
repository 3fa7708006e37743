// Browser test of the page of `shrewd serve`: builds a small index with the shrewd command, starts
// `shrewd serve` on a free loopback port, opens the page in Debian's chromium (headless, driven by
// playwright-core from web/node_modules), clicks queries and checks that neighbours, metrics,
// charts and the hierarchy appear; keeps a screenshot. Also checks SIGHUP reload and clean exit.
//
//   node tests/browser/serve_page_test.mjs <path to shrewd> <artifacts dir>
import { spawn, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(here, "../../web");
const [shrewd, artifacts] = process.argv.slice(2).map((arg) => path.resolve(arg));
if (!shrewd || !artifacts) {
  console.error("usage: node serve_page_test.mjs <path to shrewd> <artifacts dir>");
  process.exit(2);
}
const chromiumPath = process.env.SHREWD_CHROMIUM || "/usr/bin/chromium";
let playwright;
try {
  playwright = createRequire(path.join(webDir, "package.json"))("playwright-core");
} catch {
  console.error(`playwright-core is missing: run \`npm ci\` in ${webDir} (scripts/install-deps.sh does)`);
  process.exit(1);
}
if (!fs.existsSync(chromiumPath)) {
  console.error(`${chromiumPath} is missing: install Debian's chromium (scripts/install-deps.sh does)`);
  process.exit(1);
}

// A whole-test time limit, so a hang can never keep CI waiting.
const deadline = setTimeout(() => {
  console.error("serve page test: timed out after 120 s");
  process.exit(1);
}, 120_000);

// ---- test data: 6 classes in a two-level hierarchy, clustered 64-bit codes, striped images ----

function npy(descr, shape, data) {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  const total = 10 + header.length + 1;
  header += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const prefix = Buffer.alloc(10);
  prefix.write("\x93NUMPY", 0, "latin1");
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, "latin1"), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

let seed = 12345;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

const work = fs.mkdtempSync(path.join(os.tmpdir(), "shrewd-browser-"));
const classes = ["cat", "dog", "car", "truck", "shirt", "shoe"];
const items = 240;
const side = 28;
const centres = classes.map(() => Uint8Array.from({ length: 8 }, () => Math.floor(random() * 256)));
const codes = new Uint8Array(items * 8);
const labels = new BigInt64Array(items);
const images = new Uint8Array(items * side * side);
for (let i = 0; i < items; i++) {
  const label = i % classes.length;
  labels[i] = BigInt(label);
  for (let b = 0; b < 8; b++) {
    let byte = centres[label][b];
    for (let bit = 0; bit < 8; bit++) if (random() < 0.2) byte ^= 1 << bit;
    codes[i * 8 + b] = byte;
  }
  const angle = (label * Math.PI) / classes.length;
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const wave = Math.sin((x * Math.cos(angle) + y * Math.sin(angle)) * (0.5 + label * 0.1));
      images[i * side * side + y * side + x] = Math.max(0, Math.min(255, Math.round(128 + 100 * wave + 40 * (random() - 0.5))));
    }
}
fs.writeFileSync(path.join(work, "codes.npy"), npy("|u1", [items, 8], codes));
fs.writeFileSync(path.join(work, "labels.npy"), npy("<i8", [items], labels));
fs.writeFileSync(path.join(work, "images.npy"), npy("|u1", [items, side, side], images));
fs.writeFileSync(path.join(work, "classes.txt"), classes.map((name, i) => `${i} ${name}`).join("\n") + "\n");
fs.writeFileSync(path.join(work, "tree.txt"),
  "thing animal\nthing vehicle\nthing clothing\nanimal cat\nanimal dog\nvehicle car\nvehicle truck\nclothing shirt\nclothing shoe\n");

function run(...args) {
  try {
    return execFileSync(shrewd, args, { cwd: work, stdio: ["ignore", "pipe", "pipe"] }).toString();
  } catch (error) {
    console.error(`shrewd ${args.join(" ")} failed:\n${error.stderr}`);
    process.exit(1);
  }
}
run("index", "build", "--codes", "codes.npy", "--out", "db.shx");
run("eval", "--query-codes", "codes.npy", "--query-labels", "labels.npy", "--db-codes", "codes.npy",
    "--db-labels", "labels.npy", "--queries-in-db", "--classes", "classes.txt",
    "--hierarchy", "tree.txt", "--json", "eval.json");

// ---- the server ----

const server = spawn(shrewd, ["serve", "--index", "db.shx", "--images", "images.npy", "--labels", "labels.npy",
  "--classes", "classes.txt", "--hierarchy", "tree.txt", "--eval", "eval.json", "--port", "0"],
  { cwd: work, stdio: ["ignore", "pipe", "pipe"] });
let serverOutput = "";
server.stderr.on("data", (chunk) => { serverOutput += chunk; });
const base = await new Promise((resolve, reject) => {
  server.stdout.on("data", (chunk) => {
    serverOutput += chunk;
    const match = /on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(serverOutput);
    if (match) resolve(match[1]);
  });
  server.on("exit", (code) => reject(new Error(`shrewd serve exited early (${code}):\n${serverOutput}`)));
});

const failures = [];
const pageErrors = [];
let context;
let page;
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "shrewd-chromium-"));
try {
  context = await playwright.chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
    viewport: { width: 1280, height: 900 },
  });
  page = context.pages()[0] || (await context.newPage());
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  // The browser logs the 4xx answers to the deliberately bad queries below; those are expected.
  page.on("console", (message) => {
    if (message.type() === "error" && !/status of 4\d\d/.test(message.text())) pageErrors.push(message.text());
  });

  await page.goto(base);
  await page.waitForFunction(() => /240 items/.test(document.getElementById("stats").textContent));

  // A random item as the query: its neighbours appear as cards with distance, class and similarity.
  await page.click("#random-query");
  await page.waitForSelector("#results .card");
  const cards = await page.$$eval("#results .card", (nodes) => nodes.map((n) => n.textContent));
  assert.equal(cards.length, 24, "24 neighbours by default");
  assert.match(cards[0], /d = \d+/);
  assert.ok(cards.some((text) => classes.some((name) => text.includes(name))), "cards name their class");
  assert.ok(cards.every((text) => /s = \d\.\d\d/.test(text)), "every card shows its hierarchy similarity");

  // An id as the query; then a neighbour clicked becomes the query.
  await page.fill("#id-input", "7");
  await page.click("#id-search");
  await page.waitForFunction(() => /item 7(?!\d)/.test(document.getElementById("query").textContent));
  await page.waitForFunction((size) => [...document.querySelectorAll("#results .card img")]
    .some((img) => img.complete && img.naturalWidth === size), side);
  const clickedId = await page.$eval("#results .card:nth-child(2)", (n) => n.dataset.id);
  await page.click("#results .card:nth-child(2)");
  await page.waitForFunction((id) => new RegExp(`item ${id}(?!\\d)`).test(document.getElementById("query").textContent), clickedId);

  // Metrics of the loaded evaluation, its charts and the hierarchy.
  const evalText = await page.textContent("#eval");
  assert.match(evalText, /mAP@/);
  assert.match(evalText, /mAHP@/);
  assert.ok((await page.$$("#charts canvas")).length >= 2, "charts of the curves");
  const treeText = await page.textContent("#hierarchy");
  for (const name of ["animal", "vehicle", "clothing", "shoe"]) assert.ok(treeText.includes(name), `tree shows ${name}`);
  assert.ok((await page.$$(".tree .query-class")).length === 1, "the query's class is marked in the tree");

  // A bad id is refused with a message, and the page goes on working.
  await page.fill("#id-input", "99999");
  await page.click("#id-search");
  await page.waitForFunction(() => /no item 99999/.test(document.getElementById("message").textContent));
  await page.fill("#id-input", "7");
  await page.click("#id-search");
  await page.waitForFunction(() => document.getElementById("message").textContent === "");

  fs.mkdirSync(artifacts, { recursive: true });
  const shot = path.join(artifacts, "serve-page.png");
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`screenshot: ${shot}`);
  assert.deepEqual(pageErrors, [], "no errors in the page's console");

  // SIGHUP reloads the index file (generation 2) while serving.
  server.kill("SIGHUP");
  let generation = 1;
  for (let i = 0; i < 50 && generation < 2; i++) {
    await new Promise((r) => setTimeout(r, 100));
    generation = (await (await fetch(`${base}api/health`)).json()).generation;
  }
  assert.equal(generation, 2, "SIGHUP reloaded the index");
} catch (error) {
  failures.push(error);
  if (pageErrors.length) console.error(`page errors:\n${pageErrors.join("\n")}`);
  if (page) {
    fs.mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, "serve-page-failure.png"), fullPage: true }).catch(() => {});
  }
} finally {
  if (context) await context.close();
  server.kill("SIGTERM");
  const code = await new Promise((resolve) => {
    if (server.exitCode !== null) resolve(server.exitCode);
    else server.on("exit", (c) => resolve(c));
  });
  if (failures.length === 0 && code !== 0) failures.push(new Error(`shrewd serve exited with ${code} on SIGTERM`));
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(userDataDir, { recursive: true, force: true });
  clearTimeout(deadline);
}
if (failures.length) {
  console.error(failures[0]);
  console.error(`server output:\n${serverOutput}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}
console.log("1 passed, 0 failed");
