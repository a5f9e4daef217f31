// Parse Server 9.10 as the peer of bench/vs-parse.sh (issue 15): the in-process cloud-code platform users would
// pick instead of CocoCloud. Not part of the app.
//
//   PARSE_PORT=18095 PARSE_DATABASE_URI=postgres://postgres@127.0.0.1:15433/parse node bench/parse/server.js
//
// The appId and masterKey are fixed benchmark values: the server listens on 127.0.0.1 only.
'use strict';
const path = require('path');
const { ParseServer } = require('parse-server');

const port = Number(process.env.PARSE_PORT || 18095);
const databaseURI = process.env.PARSE_DATABASE_URI;
if (!databaseURI) {
  console.error('server.js: set PARSE_DATABASE_URI (its own PostgreSQL, never the CocoCloud server\'s)');
  process.exit(2);
}

ParseServer.startApp({
  appId: 'bench',
  masterKey: 'bench-master-key',
  databaseURI,
  cloud: path.join(__dirname, 'cloud', 'main.js'),
  serverURL: `http://127.0.0.1:${port}/parse`,
  mountPath: '/parse',
  port,
  host: '127.0.0.1',
  // At 'info' Parse logs every call and loses ~25% of its throughput (FIELD_NOTES): a benchmark wants its best.
  logLevel: 'error',
  verbose: false,
  silent: false, // errors still reach stderr, which the script keeps in its work folder
  logsFolder: null, // no ./logs files beside the code
  // Ids of the loaded data are given, so that both servers hold the very same documents.
  allowCustomObjectId: true,
}).then(() => {
  // bench/vs-parse.sh waits for this line
  console.log(`parse-server ${require('parse-server/package.json').version} listening on ${port}`);
}).catch((error) => {
  console.error('server.js: Parse Server did not start:', error);
  process.exit(1);
});
