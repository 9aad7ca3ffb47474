// coopimpact portal: the one script of the pages (no inline scripts: the
// Content-Security-Policy allows none). Everything here is an enhancement;
// every page works without it.
(function () {
  "use strict";

  function csrfToken() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : "";
  }

  // htmx requests carry the CSRF header; error answers (4xx/5xx) are shown
  // in the target instead of being dropped.
  document.addEventListener("htmx:configRequest", function (e) {
    e.detail.headers["X-CSRF-Token"] = csrfToken();
  });
  document.addEventListener("htmx:beforeSwap", function (e) {
    var status = e.detail.xhr.status;
    if (status >= 400 && status < 600 && status !== 401) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });

  // Theme: applied at once, stored by posting the preferences form in the background.
  function setupPrefs(form) {
    var theme = form.querySelector("[data-theme-switch]");
    if (theme) {
      theme.addEventListener("change", function () {
        var v = theme.value;
        if (v === "light" || v === "dark") {
          document.documentElement.setAttribute("data-theme", v);
        } else {
          document.documentElement.removeAttribute("data-theme");
        }
        var body = new URLSearchParams();
        body.set("csrf_token", csrfToken());
        body.set("theme", v);
        fetch(form.action, {
          method: "POST", credentials: "same-origin", body: body,
          headers: { "X-Requested-With": "fetch", "X-CSRF-Token": csrfToken() }
        });
      });
    }
    // The language needs the page again in the other language: submit the form.
    var lang = form.querySelector("[data-autosubmit]");
    if (lang) {
      lang.addEventListener("change", function () {
        form.querySelector('select[name="theme"]').disabled = true; // send the language only
        form.submit();
      });
    }
    var button = form.querySelector('button[type="submit"]');
    if (button) { button.hidden = true; }
  }

  // Upload: drop files on the zone to fill the plain file input.
  function setupDropzone(zone) {
    var input = zone.querySelector('input[type="file"]');
    var list = zone.querySelector("[data-file-list]");
    function show() {
      if (!list) { return; }
      list.textContent = "";
      for (var i = 0; i < input.files.length; i++) {
        var li = document.createElement("li");
        li.textContent = input.files[i].name;
        list.appendChild(li);
      }
    }
    ["dragenter", "dragover"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("dragging"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      zone.addEventListener(t, function () { zone.classList.remove("dragging"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        show();
      }
    });
    input.addEventListener("change", show);
  }

  // Copy buttons for one-time links and tokens.
  function setupCopy(button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.value);
    });
  }

  // Charts: <div class="chart" data-chart="ID"> with its options in
  // <script type="application/json" id="ID">, rendered by the self-hosted echarts.
  function setupChart(el) {
    var data = document.getElementById(el.getAttribute("data-chart"));
    if (!data || typeof window.echarts === "undefined") { return; }
    var dark = getComputedStyle(document.documentElement).colorScheme === "dark";
    var chart = window.echarts.init(el, dark ? "dark" : null, { renderer: "svg" });
    chart.setOption(JSON.parse(data.textContent));
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function init() {
    document.querySelectorAll("[data-prefs]").forEach(setupPrefs);
    document.querySelectorAll("[data-dropzone]").forEach(setupDropzone);
    document.querySelectorAll("[data-copy]").forEach(setupCopy);
    document.querySelectorAll("[data-chart]").forEach(setupChart);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
