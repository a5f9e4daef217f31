// Drives the official CocoBase JavaScript SDK's realtime clients (npm "cocobase" 1.6.0: db.realtime.collection,
// db.onSnapshot, db.realtime.broadcast, db.realtime.room, db.realtime.listRooms) against a running CocoCloud
// server, and checks what they hand to the application.
//
// Environment: BASE_URL (http://localhost:<port>), API_KEY (a client key of a fresh project).
// Needs a global WebSocket: Node 22+, or Node 20 with --experimental-websocket (RealtimeSdkTest passes it).
// Prints one line per check; on the first failure prints the events seen and exits 1.
// Run by io.cococloud.realtime.RealtimeSdkTest.
import assert from "node:assert/strict";
import { Cocobase } from "cocobase";

const BASE_URL = (process.env.BASE_URL ?? "").replace(/\/+$/, "");
const API_KEY = process.env.API_KEY ?? "";
if (!BASE_URL || !API_KEY || typeof WebSocket !== "function") {
  console.error("realtime-check: BASE_URL and API_KEY must be set, and WebSocket must exist");
  process.exit(2);
}

// The SDK's realtime clients and listRooms ignore the client's baseURL: dist/realtime/websockets.js builds
// their URLs from a module constant (BASEURL = "https://api.cocobase.cc"). So the global WebSocket and fetch are
// wrapped to send that host to BASE_URL instead; nothing else of the SDK's requests is changed.
const SDK_HOST = "https://api.cocobase.cc";
const SDK_WS_HOST = "wss://api.cocobase.cc";
const WS_BASE = BASE_URL.replace(/^http/, "ws");
const RealWebSocket = globalThis.WebSocket;
globalThis.WebSocket = class extends RealWebSocket {
  constructor(url, protocols) {
    const text = String(url);
    super(text.startsWith(SDK_WS_HOST) ? WS_BASE + text.slice(SDK_WS_HOST.length) : text, protocols);
  }
};
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = typeof input === "string" ? input : input.url;
  return realFetch(url.startsWith(SDK_HOST) ? BASE_URL + url.slice(SDK_HOST.length) : url, init);
};

const db = new Cocobase({ apiKey: API_KEY, baseURL: BASE_URL });
const seen = [];

/** Resolves with the first value `register` hands to its callback, or rejects after `ms`. */
function first(register, ms = 20000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("nothing arrived within " + ms + " ms")), ms);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

/** Collects every value handed to the callback `register` installs. */
function collect(register) {
  const values = [];
  const waiters = [];
  register((value) => {
    seen.push(value);
    values.push(value);
    waiters.splice(0).forEach((w) => w());
  });
  return {
    async take(n, ms = 20000) {
      const deadline = Date.now() + ms;
      while (values.length < n) {
        if (Date.now() > deadline) throw new Error(`only ${values.length} of ${n} arrived: ${JSON.stringify(values)}`);
        await new Promise((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
      return values.splice(0, n);
    },
  };
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
    console.log(`  seen: ${JSON.stringify(seen)}`);
    process.exit(1);
  }
}

await check("realtime.collection: connected with the filters", async () => {
  const watcher = db.realtime.collection("posts", { status: "published" });
  const connected = first((cb) => watcher.onConnected(cb));
  const events = collect((cb) => {
    watcher.onCreate((e) => cb(e));
    watcher.onUpdate((e) => cb(e));
    watcher.onDelete((e) => cb(e));
  });
  watcher.connect();
  const hello = await connected;
  assert.equal(hello.collection_id, "posts");
  assert.deepEqual(hello.filters, { status: "published" });
  globalThis.watcher = watcher;
  globalThis.watched = events;
  return JSON.stringify(hello);
});

await check("realtime.collection: create, update, delete of matching documents, in order", async () => {
  await db.createDocument("posts", { title: "draft", status: "draft" });
  const doc = await db.createDocument("posts", { title: "news", status: "published" });
  await db.updateDocument("posts", doc.id, { title: "news, updated" });
  await db.deleteDocument("posts", doc.id);
  const [created, updated, deleted] = await globalThis.watched.take(3);
  assert.equal(created.event, "create");
  assert.equal(created.data.id, doc.id);
  assert.equal(created.data.title, "news");
  assert.equal(updated.event, "update");
  assert.equal(updated.data.title, "news, updated");
  assert.equal(updated.old_data.title, "news");
  assert.equal(deleted.event, "delete");
  assert.equal(deleted.data.id, doc.id);
  globalThis.watcher.disconnect();
  return "the draft was not delivered";
});

await check("onSnapshot: the list is read again on a change", async () => {
  const snapshots = collect((cb) => {
    globalThis.unsubscribe = db.onSnapshot("notes", cb);
  });
  const [initial] = await snapshots.take(1);
  assert.equal(initial.length, 0);
  // the watch may not be connected yet when the first list arrives: write until a change is seen
  let written = 0;
  let latest = [];
  const deadline = Date.now() + 20000;
  while (latest.length === 0 && Date.now() < deadline) {
    await db.createDocument("notes", { n: ++written });
    try {
      [latest] = await snapshots.take(1, 1000);
    } catch {
      latest = [];
    }
  }
  globalThis.unsubscribe();
  assert.ok(latest.length >= 1, "no snapshot after a change");
  return `${latest.length} document(s) after ${written} write(s)`;
});

await check("realtime.broadcast: a message reaches the other client", async () => {
  const alice = db.realtime.broadcast("u1", "Alice");
  const bob = db.realtime.broadcast("u2", "Bob");
  const heard = first((cb) => bob.onMessage(cb));
  alice.connect();
  bob.connect();
  // a broadcast reaches the sockets subscribed when it is sent: Alice speaks until Bob, once connected, hears her
  const deadline = Date.now() + 20000;
  let message;
  while (!message && Date.now() < deadline) {
    alice.send({ text: "hello" });
    message = await Promise.race([heard, new Promise((resolve) => setTimeout(resolve, 500))]);
  }
  alice.disconnect();
  bob.disconnect();
  assert.ok(message, "Bob heard nothing");
  assert.equal(message.type, "message");
  assert.equal(message.user_id, "u1");
  assert.equal(message.user_name, "Alice");
  assert.deepEqual(message.data, { text: "hello" });
  return JSON.stringify(message.data);
});

await check("realtime.room: create, join, user_joined, message, listRooms", async () => {
  const host = db.realtime.room("lobby", "u1", "Alice");
  const joinedHost = first((cb) => host.on("joined", cb));
  const someoneJoined = first((cb) => host.on("user_joined", cb));
  const hostHeard = first((cb) => host.on("message", cb));
  host.create("The Lobby");
  const created = await joinedHost;
  assert.equal(created.room_title, "The Lobby");

  const guest = db.realtime.room("lobby", "u2", "Bob");
  const joinedGuest = first((cb) => guest.on("joined", cb));
  guest.join();
  const joined = await joinedGuest;
  assert.equal(joined.participants, 2);
  assert.equal((await someoneJoined).user_name, "Bob");

  guest.sendMessage("Hi all");
  const message = await hostHeard;
  assert.equal(message.content, "Hi all");
  assert.equal(message.user_name, "Bob");

  const rooms = await db.realtime.listRooms();
  assert.equal(rooms.total, 1);
  assert.equal(rooms.rooms[0].id, "lobby");
  assert.equal(rooms.rooms[0].participants, 2);
  guest.leave();
  host.leave();
  return `${rooms.rooms[0].title}: ${rooms.rooms[0].participants} participants`;
});

console.log("realtime-check: all passed");
process.exit(0);
