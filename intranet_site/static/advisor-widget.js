// Mounts rasa-webchat on Rasa's socket.io channel and lets links with data-ask put a
// question to it ("Ask the advisor" on the FAQ, or /?ask=... from another page).
(function () {
  "use strict";
  var configElement = document.getElementById("advisor-config");
  if (!configElement || !window.WebChat) {
    return; // the bundle is missing: the pages still work without the chat
  }
  var config = JSON.parse(configElement.textContent);
  var webchat = null;
  var sessionConfirmed = false;
  var waiting = [];

  function isOpen() {
    return document.querySelector(".rw-conversation-container") !== null;
  }

  function open(attemptsLeft) {
    if (isOpen()) {
      return;
    }
    var launcher = document.querySelector(".rw-launcher");
    if (launcher) {
      launcher.click();
    } else if (attemptsLeft > 0) {
      setTimeout(function () { open(attemptsLeft - 1); }, 100);
    }
  }

  function ask(question) {
    question = String(question || "").trim().slice(0, config.maxChars);
    if (!question) {
      return;
    }
    // rasa-webchat sends a message typed before Rasa confirmed the session without a
    // session id, and Rasa drops it; so questions wait for the confirmation.
    if (!webchat || !sessionConfirmed) {
      waiting.push(question);
      return;
    }
    open(50);
    webchat.sendMessage(question, question);
  }

  function askWaiting() {
    if (webchat && sessionConfirmed) {
      waiting.splice(0).forEach(ask);
    }
  }

  window.WebChat.default(
    {
      socketUrl: config.socketUrl,
      socketPath: "/socket.io/",
      title: "Career advisor",
      subtitle: "Your next step into healthcare management",
      initPayload: "/greet",
      inputTextFieldHint: "Ask about degrees, certifications, first roles…",
      connectingText: "Connecting to the career advisor…",
      hideWhenNotConnected: false,
      // Rasa sends each paragraph as its own message; the widget's default "typing" pause
      // (up to 3 s each) would make a sourced answer take ten seconds to appear.
      customMessageDelay: function () {
        return 300;
      },
      params: { storage: "local" },
      withRules: false,
      innerRef: function (ref) {
        if (ref && !webchat) {
          webchat = ref;
          askWaiting();
        }
      },
      onSocketEvent: {
        session_confirm: function () {
          sessionConfirmed = true;
          // After the widget's own handlers, which store the session and send the greeting.
          setTimeout(askWaiting, 0);
        },
      },
    },
    null
  );

  window.careerAdvisor = { ask: ask, isOpen: isOpen };


  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-ask]");
    if (link) {
      event.preventDefault();
      ask(link.getAttribute("data-ask"));
    }
  });

  var params = new URLSearchParams(window.location.search);
  if (params.has("ask")) {
    var question = params.get("ask");
    params.delete("ask");
    // Drop ?ask= so a reload does not ask the same question again.
    var rest = params.toString();
    history.replaceState(null, "", window.location.pathname + (rest ? "?" + rest : "") + window.location.hash);
    ask(question);
  }
})();
