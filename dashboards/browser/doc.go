// Package browser holds the portal's end-to-end tests in headless Chromium.
//
// The tests build cmd/coopimpact, load a small demo network, serve the
// portal on a free local port and walk it as each role with Debian's
// chromium, running axe-core (node_modules/axe-core, from `make assets`) on
// every page visited. Without chromium or axe-core they skip, except on CI
// (CI=true), where they fail.
package browser
