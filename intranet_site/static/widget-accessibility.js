// Makes rasa-webchat usable with a screen reader and the keyboard alone, on any page that
// loads it (the intranet site's pages, and the snippet in docs/channels.md for other pages):
// names for its icon-only buttons and its input, the message list as a live log, and the
// quick replies as buttons a keyboard reaches. (The focus ring is in site.css; other pages
// keep their own.)
(function () {
  "use strict";
  function isOpen() {
    return document.querySelector(".rw-conversation-container") !== null;
  }

  // Applied again whenever the widget re-renders.
  var NAMES = {
    ".rw-send": "Send",
    ".rw-close-button": "Close the career advisor",
    ".rw-toggle-fullscreen-button": "Full screen",
    ".rw-new-message": "Your message to the career advisor",
  };

  function setAttribute(element, name, value) {
    if (element.getAttribute(name) !== value) {
      element.setAttribute(name, value); // only on change: the observer sees its own writes
    }
  }

  function nameWidget() {
    var launcher = document.querySelector(".rw-launcher");
    if (launcher) {
      setAttribute(launcher, "aria-label", isOpen() ? "Close the career advisor" : "Open the career advisor");
      setAttribute(launcher, "aria-expanded", String(isOpen()));
    }
    Object.keys(NAMES).forEach(function (selector) {
      document.querySelectorAll(selector).forEach(function (element) {
        setAttribute(element, "aria-label", NAMES[selector]);
      });
    });
    // Quick replies are clickable divs: make them buttons a keyboard reaches.
    document.querySelectorAll(".rw-reply").forEach(function (reply) {
      if (reply.tagName !== "BUTTON") {
        setAttribute(reply, "role", "button");
        setAttribute(reply, "tabindex", "0");
      }
    });
    var messages = document.querySelector(".rw-messages-container");
    if (messages) {
      setAttribute(messages, "role", "log");
      setAttribute(messages, "aria-live", "polite");
      setAttribute(messages, "aria-label", "Conversation with the career advisor");
    }
  }

  document.addEventListener("keydown", function (event) {
    var reply = event.target.closest && event.target.closest(".rw-reply[role=button]");
    if (reply && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      reply.click();
    }
  });

  new MutationObserver(nameWidget).observe(document.body, { childList: true, subtree: true });
  nameWidget();
})();
