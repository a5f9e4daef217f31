// Drives the official CocoBase JavaScript SDK (npm "cocobase", pinned to 1.6.0 in package.json)
// against a running CocoCloud server, one SDK call after another, and checks the shapes the SDK
// reads (and the ones its TypeScript declarations promise).
//
// Environment:
//   BASE_URL          the server, e.g. http://localhost:8080 (no trailing slash needed)
//   API_KEY           a client key of the project (sent by the SDK as x-api-key)
//   FUNCTION_PROJECT  the project id (the SDK's projectId, used by functions.execute)
//   FUNCTION_NAME     the deployed function to call (default "sdk_echo"); it must return
//                     {"echo": request.get("msg"), "user": <email of request.user or None>}
//
// Prints one line per call; on the first failure prints the server's answer to the last request
// and exits 1. Run by io.cococloud.data.CocobaseSdkTest (./cococloud test).
import assert from "node:assert/strict";
import { Cocobase, CocobaseError, memoryStorageAdapter } from "cocobase";

const BASE_URL = (process.env.BASE_URL ?? "").replace(/\/+$/, "");
const API_KEY = process.env.API_KEY ?? "";
const FUNCTION_PROJECT = process.env.FUNCTION_PROJECT ?? "";
const FUNCTION_NAME = process.env.FUNCTION_NAME ?? "sdk_echo";
if (!BASE_URL || !API_KEY || !FUNCTION_PROJECT) {
  console.error("sdk-check: BASE_URL, API_KEY and FUNCTION_PROJECT must be set");
  process.exit(2);
}

// functions.execute ignores the client's baseURL: dist/core/functions.js builds its URL from a
// module-private constant (`const BASEURL = "https://cloud.cocobase.cc"`) that no option or
// instance property can change. So we wrap the global fetch (which every SDK call uses) and
// rewrite that host to BASE_URL. The wrapper also remembers the last request and the server's
// answer, so a failure can show what the server said.
const SDK_FUNCTIONS_HOST = "https://cloud.cocobase.cc";
const realFetch = globalThis.fetch;
let last = null;
globalThis.fetch = async (input, init = {}) => {
  let url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (url.startsWith(SDK_FUNCTIONS_HOST)) {
    url = BASE_URL + url.slice(SDK_FUNCTIONS_HOST.length);
  }
  const res = await realFetch(url, init);
  const body = await res.clone().text().catch(() => "<unreadable>");
  last = {
    request: `${init.method ?? "GET"} ${url}`,
    headers: Object.keys(init.headers ?? {}).join(", "),
    sent: typeof init.body === "string" ? init.body : init.body ? "<non-text body>" : "",
    status: res.status,
    body,
  };
  return res;
};

const notes = [];
function note(message) {
  notes.push(message);
}

// A field the SDK's .d.ts declares but nothing in the SDK reads at run time: reported, not fatal.
function declared(call, obj, fields) {
  for (const f of fields) {
    if (!(f in obj)) note(`${call}: declared field '${f}' missing from the answer`);
  }
}

let step = 0;
async function check(name, fn) {
  step++;
  try {
    const summary = await fn();
    console.log(`ok   ${String(step).padStart(2)} ${name}${summary ? ` — ${summary}` : ""}`);
  } catch (err) {
    console.log(`FAIL ${String(step).padStart(2)} ${name}`);
    console.log(`  error: ${err?.stack ?? err}`);
    if (err instanceof CocobaseError) {
      console.log(`  status: ${err.statusCode}, detail: ${JSON.stringify(err.detail)}`);
    }
    if (last) {
      console.log(`  last request: ${last.request}`);
      console.log(`  request headers: ${last.headers}`);
      if (last.sent) console.log(`  request body: ${last.sent}`);
      console.log(`  server answered ${last.status}: ${last.body}`);
    }
    process.exit(1);
  }
}

function assertDocument(doc, collection) {
  assert.equal(typeof doc, "object");
  assert.ok(doc !== null, "document is null");
  assert.equal(typeof doc.id, "string", "document.id");
  assert.ok(doc.id.length > 0, "document.id is empty");
  assert.equal(typeof doc.data, "object", "document.data");
  assert.equal(typeof doc.created_at, "string", "document.created_at");
  assert.ok(!Number.isNaN(Date.parse(doc.created_at)), `created_at not a date: ${doc.created_at}`);
  assert.ok("collection" in doc, "document.collection");
  if (typeof doc.collection === "string") assert.equal(doc.collection, collection);
}

function assertUser(user, email) {
  assert.equal(typeof user, "object");
  assert.ok(user !== null, "user is null");
  assert.equal(typeof user.id, "string", "user.id");
  assert.equal(user.email, email);
  assert.equal(typeof user.data, "object", "user.data");
  assert.ok(Array.isArray(user.roles), "user.roles must be an array (hasRole reads it)");
  assert.equal(typeof user.created_at, "string", "user.created_at");
}

const db = new Cocobase({
  baseURL: BASE_URL,
  apiKey: API_KEY,
  projectId: FUNCTION_PROJECT,
  storage: memoryStorageAdapter(),
});
// Same settings, second client: a fresh session that must log in.
const db2 = new Cocobase({
  baseURL: BASE_URL,
  apiKey: API_KEY,
  projectId: FUNCTION_PROJECT,
  storage: memoryStorageAdapter(),
});

const suffix = Math.random().toString(36).slice(2, 10);
const email = `sdk-${suffix}@example.test`;
const password = "sdk-password-1";
const collection = `sdk_posts_${suffix}`;

await check("auth.register", async () => {
  const r = await db.auth.register({ email, password, data: { nickname: "sdk" } });
  assert.equal(r.requires_2fa, false);
  assertUser(r.user, email);
  assert.equal(r.user.data.nickname, "sdk");
  assert.equal(typeof db.auth.getToken(), "string", "token kept after register");
  assert.ok(db.auth.isAuthenticated());
  declared("register user", r.user, ["client_id"]);
  return `user ${r.user.id}`;
});

await check("auth.login", async () => {
  const r = await db2.auth.login({ email, password });
  assert.equal(r.requires_2fa, false);
  assertUser(r.user, email);
  assert.equal(typeof db2.auth.getToken(), "string", "token kept after login");
  assert.ok(db2.auth.isAuthenticated());
  return `token ${db2.auth.getToken().slice(0, 12)}…`;
});

await check("auth.getCurrentUser", async () => {
  const user = await db2.auth.getCurrentUser();
  assertUser(user, email);
  assert.equal(user.data.nickname, "sdk");
  return user.email;
});

await check("auth.getUserById (own record)", async () => {
  const me = await db2.auth.getCurrentUser();
  const user = await db2.auth.getUserById(me.id);
  assertUser(user, email);
  return user.id;
});

// Users are private by default (issue 9): the client key an app ships cannot list them.
await check("auth.listUsers (refused with a client key)", async () => {
  await assert.rejects(() => db2.auth.listUsers({ limit: 5 }), (err) => {
    assert.ok(err instanceof CocobaseError, `a CocobaseError, not ${err}`);
    assert.equal(err.statusCode, 403);
    return true;
  });
  return "403";
});

let first;
await check("createDocument", async () => {
  first = await db2.createDocument(collection, { title: "first", status: "published", views: 10 });
  assertDocument(first, collection);
  assert.equal(first.data.title, "first");
  assert.equal(first.data.views, 10);
  declared("createDocument", first, ["collection_id"]);
  return `id ${first.id}`;
});

await check("getDocument", async () => {
  const doc = await db2.getDocument(collection, first.id);
  assertDocument(doc, collection);
  assert.equal(doc.id, first.id);
  assert.deepEqual(doc.data, first.data);
  return doc.id;
});

await check("createDocumentWithFiles / updateDocumentWithFiles (multipart)", async () => {
  const cover = new Blob(["cover bytes"], { type: "image/png" });
  const doc = await db2.createDocumentWithFiles(collection, { title: "with files", status: "draft", views: 0 },
    { cover: new File([cover], "cover.png", { type: "image/png" }) });
  assertDocument(doc, collection);
  assert.match(doc.data.cover, /\/static\/.+\/uploads\/.+\/cover\.png$/);
  // the server names itself by coco.base-url, which tests leave at port 0: fetch the path from BASE_URL
  const served = await realFetch(BASE_URL + new URL(doc.data.cover).pathname);
  assert.equal(served.status, 200);
  assert.equal(await served.text(), "cover bytes");
  const updated = await db2.updateDocumentWithFiles(collection, doc.id, { title: "with new files" },
    { gallery: [new File(["a"], "a.txt"), new File(["b"], "b.txt")] });
  assert.equal(updated.data.title, "with new files");
  assert.equal(updated.data.gallery.length, 2);
  await db2.deleteDocument(collection, doc.id);
  return `cover at ${new URL(doc.data.cover).pathname}`;
});

let batch;
await check("createDocuments (batch create)", async () => {
  batch = await db2.createDocuments(collection, [
    { title: "second", status: "published", views: 30 },
    { title: "third", status: "draft", views: 50 },
    { title: "fourth", status: "published", views: 70 },
  ]);
  assert.ok(Array.isArray(batch), `expected an array, got ${JSON.stringify(batch)}`);
  assert.equal(batch.length, 3);
  batch.forEach((d) => assertDocument(d, collection));
  assert.deepEqual(batch.map((d) => d.data.title), ["second", "third", "fourth"]);
  return `${batch.length} created`;
});

await check("listDocuments (no query)", async () => {
  const docs = await db2.listDocuments(collection);
  assert.ok(Array.isArray(docs), `expected an array, got ${JSON.stringify(docs)}`);
  assert.equal(docs.length, 4);
  docs.forEach((d) => assertDocument(d, collection));
  return `${docs.length} documents`;
});

await check("listDocuments (filters status=published, views_gte=20; sort views asc)", async () => {
  const docs = await db2.listDocuments(collection, {
    filters: { status: "published", views_gte: 20 },
    sort: "views",
    order: "asc",
  });
  assert.ok(Array.isArray(docs), `expected an array, got ${JSON.stringify(docs)}`);
  assert.deepEqual(docs.map((d) => d.data.title), ["second", "fourth"]);
  return docs.map((d) => d.data.title).join(", ");
});

await check("listDocuments (sort views desc, limit 2, offset 1)", async () => {
  const docs = await db2.listDocuments(collection, { sort: "views", order: "desc", limit: 2, offset: 1 });
  assert.deepEqual(docs.map((d) => d.data.views), [50, 30]);
  return docs.map((d) => d.data.title).join(", ");
});

await check("listDocuments ([or] groups, _in, _contains, _ne)", async () => {
  const or = await db2.listDocuments(collection, {
    filters: { "[or]status": "draft", "[or]views_lt": 20 },
    sort: "views",
    order: "asc",
  });
  assert.deepEqual(or.map((d) => d.data.title), ["first", "third"]);
  const inList = await db2.listDocuments(collection, { filters: { title_in: "first,fourth" }, sort: "title", order: "asc" });
  assert.deepEqual(inList.map((d) => d.data.title), ["first", "fourth"]);
  const contains = await db2.listDocuments(collection, { filters: { title_contains: "ir" } });
  assert.deepEqual(contains.map((d) => d.data.title).sort(), ["first", "third"]);
  const ne = await db2.listDocuments(collection, { filters: { status_ne: "published" } });
  assert.deepEqual(ne.map((d) => d.data.title), ["third"]);
  return "or/in/contains/ne";
});

await check("paginate (nextPage)", async () => {
  const pager = db2.paginate(collection, { sort: "views", order: "asc" }, 3);
  const p1 = await pager.nextPage();
  assert.equal(p1.hasMore, true);
  assert.deepEqual(p1.data.map((d) => d.data.views), [10, 30, 50]);
  const p2 = await pager.nextPage();
  assert.equal(p2.hasMore, false);
  assert.deepEqual(p2.data.map((d) => d.data.views), [70]);
  return "2 pages";
});

await check("updateDocument", async () => {
  const doc = await db2.updateDocument(collection, first.id, { views: 15, extra: true });
  assertDocument(doc, collection);
  assert.equal(doc.id, first.id);
  assert.equal(doc.data.views, 15);
  assert.equal(doc.data.extra, true);
  assert.equal(doc.data.title, "first", "PATCH must merge, not replace");
  const again = await db2.getDocument(collection, first.id);
  assert.equal(again.data.views, 15);
  return JSON.stringify(doc.data);
});

await check("countDocuments", async () => {
  const all = await db2.countDocuments(collection);
  assert.deepEqual(Object.keys(all).includes("count"), true, JSON.stringify(all));
  assert.equal(all.count, 4);
  const published = await db2.countDocuments(collection, { filters: { status: "published" } });
  assert.equal(published.count, 3);
  return `all ${all.count}, published ${published.count}`;
});

await check("deleteDocuments (batch delete)", async () => {
  const r = await db2.deleteDocuments(collection, [batch[0].id, batch[1].id]);
  assert.equal(typeof r, "object");
  assert.equal(r.count, 2, JSON.stringify(r));
  declared("deleteDocuments", r, ["status", "message"]);
  const left = await db2.listDocuments(collection);
  assert.deepEqual(left.map((d) => d.id).sort(), [first.id, batch[2].id].sort());
  return JSON.stringify(r);
});

await check("deleteDocument", async () => {
  const r = await db2.deleteDocument(collection, first.id);
  assert.equal(typeof r, "object");
  declared("deleteDocument", r, ["success"]);
  const count = await db2.countDocuments(collection);
  assert.equal(count.count, 1);
  await assert.rejects(db2.getDocument(collection, first.id), (e) => e instanceof CocobaseError && e.statusCode === 404);
  return JSON.stringify(r);
});

await check(`functions.execute('${FUNCTION_NAME}', POST payload)`, async () => {
  const r = await db2.functions.execute(FUNCTION_NAME, { payload: { msg: "hello" } });
  assert.equal(last.status, 200, `status ${last.status}`);
  assert.equal(r.success, true, JSON.stringify(r));
  assert.deepEqual(r.result, { echo: "hello", user: email });
  assert.equal(r.error, null);
  assert.equal(typeof r.execution_time, "number");
  assert.equal(typeof r.output, "string");
  return JSON.stringify(r.result);
});

await check(`functions.execute('${FUNCTION_NAME}') (GET)`, async () => {
  const r = await db2.functions.execute(FUNCTION_NAME);
  assert.equal(last.status, 200, `status ${last.status}`);
  assert.equal(r.success, true, JSON.stringify(r));
  assert.deepEqual(r.result, { echo: null, user: email });
  return JSON.stringify(r.result);
});

for (const n of notes) console.log(`note: ${n}`);
console.log(`all ${step} SDK calls passed`);
