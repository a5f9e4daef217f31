"""CocoCloud's function environment: what every Python function sees (docs/functions.md).

One module per concern: `host` (the one boundary to the server), `request`, the service facades
(`render`, `database`, `project`), `loader` (a function version's own module namespace), one
adapter per entry style in `styles`, `responses` (what goes back), and `invoke`, the loop the
server drives."""
