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
// Codes follow the hierarchy (animal: cat, dog; vehicle: car, truck; clothing: shirt, shoe): each class
// centre is its group's centre with 8 bits flipped, so a class's nearest other class is its sibling.
const groupCentres = [0, 1, 2].map(() => Uint8Array.from({ length: 8 }, () => Math.floor(random() * 256)));
const centres = classes.map((_, label) => {
  const centre = Uint8Array.from(groupCentres[Math.floor(label / 2)]);
  for (let flip = 0; flip < 8; flip++) {
    const bit = Math.floor(random() * 64);
    centre[bit >> 3] ^= 1 << (bit & 7);
  }
  return centre;
});
const codes = new Uint8Array(items * 8);
const labels = new BigInt64Array(items);
const images = new Uint8Array(items * side * side);
const z = new Float32Array(items * 64);  // continuous outputs: the code's signs plus noise
for (let i = 0; i < items; i++) {
  const label = i % classes.length;
  labels[i] = BigInt(label);
  const exactCopy = Math.floor(i / classes.length) % 2 === 0;  // 20 items per class carry the centre itself
  for (let b = 0; b < 8; b++) {
    let byte = centres[label][b];
    for (let bit = 0; bit < 8; bit++) if (!exactCopy && random() < 0.08) byte ^= 1 << bit;
    codes[i * 8 + b] = byte;
    for (let bit = 0; bit < 8; bit++) z[i * 64 + b * 8 + bit] = ((byte >> (7 - bit)) & 1 ? 1 : -1) + 0.8 * (random() - 0.5);
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
fs.writeFileSync(path.join(work, "z.npy"), npy("<f4", [items, 64], z));
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
const evalTable = run("eval", "--query-codes", "codes.npy", "--query-labels", "labels.npy", "--db-codes", "codes.npy",
    "--db-labels", "labels.npy", "--queries-in-db", "--classes", "classes.txt", "--hierarchy", "tree.txt",
    "--query-features", "z.npy", "--db-features", "z.npy", "--json", "eval.json");
// the terminal's binarisation gap of mAP: the last column ("gap") of the mAP row
const terminalGap = /^mAP@\d+.*\s(\S+)\s*$/m.exec(evalTable)[1];

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

  // The page says what to do before the first search.
  assert.match(await page.textContent("#results"), /Pick a query/);

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

  // Grouped by distance, one card per distinct code: item 0 shares its code with 19 other items, so
  // the shell at distance 0 holds one card "× 19" and the first screen reaches the sibling class.
  await page.fill("#id-input", "0");
  await page.click("#id-search");
  await page.waitForFunction(() => /item 0(?!\d)/.test(document.getElementById("query").textContent));
  await page.waitForSelector("#results .shell");
  const shells = await page.$$eval("#results .shell", (nodes) => nodes.map((n) => ({
    distance: Number(n.dataset.distance), heading: n.querySelector("h3").textContent,
    segments: n.querySelectorAll(".mix-bar span").length, cards: [...n.querySelectorAll(".card")].map((c) => c.textContent),
  })));
  assert.equal(shells[0].distance, 0);
  assert.match(shells[0].heading, /19 items · 1 distinct code shown/);
  assert.equal(shells[0].cards.length, 1);
  assert.match(shells[0].cards[0], /× 19/);
  assert.ok(shells.length > 1, "the first screen reaches beyond distance 0");
  assert.ok(shells.every((shell, i) => i === 0 || shell.distance > shells[i - 1].distance), "shells in distance order");
  assert.ok(shells.every((shell) => shell.segments >= 1), "every shell shows its class mix");
  assert.equal(shells.reduce((n, shell) => n + shell.cards.length, 0), 24, "24 distinct codes");
  assert.ok(shells.some((shell) => shell.cards.some((text) => /dog/.test(text) && /s = 0\.50/.test(text))),
    "the related class (dog, s = 0.50) appears among the 24 distinct codes");

  // Every item as its own card: the copies fill distance 0; without grouping, one flat grid.
  await page.uncheck("#distinct-input");
  await page.waitForFunction(() => document.querySelectorAll('#results .shell[data-distance="0"] .card').length === 19);
  await page.uncheck("#group-input");
  await page.waitForFunction(() => !document.querySelector("#results .shell") &&
    document.querySelectorAll("#results .card").length === 24);
  await page.check("#group-input");
  await page.check("#distinct-input");
  await page.waitForFunction(() => /× 19/.test(document.querySelector("#results .shell .card")?.textContent ?? ""));
  fs.mkdirSync(artifacts, { recursive: true });
  await (await page.$("#results-panel")).screenshot({ path: path.join(artifacts, "serve-page-neighbours.png") });

  // Metrics of the loaded evaluation, its charts and the hierarchy.
  const evalText = await page.textContent("#eval");
  // the binarisation gap: the terminal's figure, named as there
  const gapRow = await page.$$eval("#eval tr", (rows) =>
    rows.map((r) => [...r.children].map((c) => c.textContent)).find((cells) => /^gap mAP@/.test(cells[0])));
  assert.ok(gapRow, "the page shows the binarisation gap");
  assert.match(gapRow[0], /\(cosine − tie-aware\)/);
  assert.equal(gapRow[1], terminalGap, "the same gap as the terminal table");
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
