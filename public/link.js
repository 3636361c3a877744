/*
 * Tributary Link: embed the account-connection flow in your site.
 *
 *   <script src="https://YOUR-TRIBUTARY/link.js"></script>
 *   const link = Tributary.open({
 *     token,                                  // link_token from POST /api/v1/link/sessions (your backend)
 *     onSuccess(publicToken, metadata) {},    // send publicToken to your backend to exchange it
 *     onExit(error, metadata) {},             // closed without connecting; error is null or { error_code, error_message }
 *     onEvent(name, metadata) {},             // OPEN, SELECT_PLATFORM, OPEN_OAUTH, CHOOSE_ACCOUNT, ERROR, SUCCESS, EXIT
 *     mode: "iframe",                         // or "popup"
 *   });
 *   link.close();
 *
 * EXIT is onExit's event: it fires, just before onExit, whenever Link ends without connecting (the user
 * closed it, Link's window was closed, or link.close() was called), and never after a success.
 *
 * Messages are accepted only from Tributary's origin (this script's) and from the frame or window this
 * script opened; Link sends them only to the origin of the page that opened it.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var ORIGIN = new URL(script && script.src ? script.src : window.location.href).origin;
  var SOURCE = "tributary-link";

  function open(options) {
    options = options || {};
    if (!options.token || typeof options.token !== "string") throw new Error("Tributary.open: token is required (the link_token your backend created)");
    var mode = options.mode === "popup" ? "popup" : "iframe";
    var url = ORIGIN + "/link?token=" + encodeURIComponent(options.token) + "&origin=" + encodeURIComponent(window.location.origin) + "&mode=" + mode;
    var call = function (name) {
      var fn = options[name];
      if (typeof fn === "function") {
        try {
          fn.apply(null, Array.prototype.slice.call(arguments, 1));
        } catch (error) {
          setTimeout(function () {
            throw error;
          });
        }
      }
    };
    var finished = false;
    // Link ended without connecting: EXIT, then onExit, once.
    function exited(error, metadata) {
      if (finished) return;
      finished = true;
      call("onEvent", "EXIT", metadata);
      call("onExit", error, metadata);
    }
    var overlay = null;
    var frame = null;
    var popup = null;
    var watcher = null;
    var previousFocus = document.activeElement;
    var previousOverflow = document.documentElement.style.overflow;

    function cleanup() {
      window.removeEventListener("message", onMessage);
      if (watcher) clearInterval(watcher);
      if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
      if (popup && !popup.closed) popup.close();
      document.documentElement.style.overflow = previousOverflow;
      if (previousFocus && typeof previousFocus.focus === "function") previousFocus.focus();
    }

    function onMessage(event) {
      if (event.origin !== ORIGIN) return;
      var source = frame ? frame.contentWindow : popup;
      if (!source || event.source !== source) return;
      var data = event.data;
      if (!data || data.source !== SOURCE) return;
      if (data.type === "event") call("onEvent", data.name, data.metadata || {});
      else if (data.type === "success") {
        finished = true;
        call("onSuccess", data.public_token, data.metadata || {});
      } else if (data.type === "exit") {
        cleanup();
        exited(data.error || null, data.metadata || {});
      } else if (data.type === "close") cleanup();
    }
    window.addEventListener("message", onMessage);

    if (mode === "popup") {
      var width = 460;
      var height = 720;
      var left = Math.max(0, (window.screenX || 0) + (window.outerWidth - width) / 2);
      var top = Math.max(0, (window.screenY || 0) + (window.outerHeight - height) / 2);
      popup = window.open(url, "tributary-link", "popup,width=" + width + ",height=" + height + ",left=" + left + ",top=" + top);
      if (!popup) {
        window.removeEventListener("message", onMessage);
        exited({ error_code: "POPUP_BLOCKED", error_message: "The browser blocked Link's window: call Tributary.open from a click handler." }, {});
        return { close: function () {} };
      }
      watcher = setInterval(function () {
        if (popup.closed) {
          cleanup();
          exited(null, {});
        }
      }, 500);
    } else {
      overlay = document.createElement("div");
      overlay.setAttribute("data-tributary-link", "");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(15,23,42,.55);display:flex;align-items:center;justify-content:center";
      frame = document.createElement("iframe");
      frame.src = url;
      frame.title = "Connect an account (Tributary Link)";
      frame.setAttribute("allow", "clipboard-write");
      var small = window.matchMedia && window.matchMedia("(max-width: 480px)").matches;
      frame.style.cssText = small
        ? "border:0;width:100%;height:100%;background:#fff"
        : "border:0;width:440px;max-width:100%;height:680px;max-height:100%;border-radius:16px;background:#fff;box-shadow:0 25px 50px -12px rgba(0,0,0,.35)";
      overlay.appendChild(frame);
      document.body.appendChild(overlay);
      document.documentElement.style.overflow = "hidden";
      frame.focus();
    }

    return {
      close: function () {
        cleanup();
        exited(null, {});
      },
    };
  }

  window.Tributary = { open: open, origin: ORIGIN };
})();
