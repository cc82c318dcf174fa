// The brief's page, both ways between claims and evidence, and the digest's filter box.
// It reads the page and only ever writes text (textContent), classes and `hidden`.
(() => {
  "use strict";
  const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const tip = document.getElementById("tip");

  const storyOf = (element) => element.closest("article.story");
  const marksOf = (story, id) =>
    story.querySelectorAll('mark[data-cites~="' + CSS.escape(id) + '"]');
  const claimOf = (story, id) => story.querySelector('[data-claim="' + CSS.escape(id) + '"]');

  function clearFocus() {
    document.querySelectorAll(".is-focus").forEach((e) => e.classList.remove("is-focus"));
    document.querySelectorAll(".is-active").forEach((e) => e.classList.remove("is-active"));
  }

  const behavior = smooth ? "smooth" : "auto";

  function bringIntoView(element) {
    element.scrollIntoView({ behavior, block: "center" });
  }

  // A claim's sentence brought into sight with the claim itself where both fit: on a wide
  // screen they stand side by side. Where the text column scrolls on its own, it moves
  // first; the page moves only as much as it then must.
  function bringSentenceIntoView(mark, claim) {
    const column = mark.closest(".body");
    if (column && column.scrollHeight > column.clientHeight) {
      const box = mark.getBoundingClientRect();
      const frame = column.getBoundingClientRect();
      const offset = box.top - frame.top - (column.clientHeight - box.height) / 2;
      column.scrollTo({ top: column.scrollTop + offset, behavior: "auto" });
    }
    const sentence = mark.getBoundingClientRect();
    const item = claim.getBoundingClientRect();
    const top = Math.min(sentence.top, item.top);
    const bottom = Math.max(sentence.bottom, item.bottom);
    if (top >= 0 && bottom <= window.innerHeight) return;
    if (bottom - top <= window.innerHeight - 32) {
      window.scrollBy({ top: top - (window.innerHeight - (bottom - top)) / 2, behavior });
    } else {
      bringIntoView(mark);
    }
  }

  // A claim (or one of its citations) clicked: its sentences highlighted and scrolled to.
  function showEvidence(claim, only) {
    const story = storyOf(claim);
    clearFocus();
    claim.classList.add("is-active");
    const marks = only ? [only] : Array.from(marksOf(story, claim.dataset.claim));
    marks.forEach((mark) => {
      // Restart the flash when the same sentence is asked for twice.
      mark.classList.remove("is-focus");
      void mark.offsetWidth;
      mark.classList.add("is-focus");
    });
    if (marks.length) bringSentenceIntoView(marks[0], claim);
  }

  // A highlighted sentence clicked: the (first) claim citing it, highlighted and scrolled to.
  function showClaim(mark) {
    const story = storyOf(mark);
    const id = mark.dataset.cites.split(" ")[0];
    const claim = claimOf(story, id);
    if (!claim) return;
    clearFocus();
    claim.classList.add("is-active");
    marksOf(story, id).forEach((m) => m.classList.add("is-focus"));
    bringIntoView(claim);
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.jump[href], a.cite");
    if (link) {
      const target = document.getElementById(link.hash.slice(1));
      const claim = link.closest("[data-claim]");
      if (target && claim) {
        event.preventDefault();
        showEvidence(claim, link.classList.contains("cite") ? target : null);
        history.replaceState(null, "", link.hash);
      }
      return;
    }
    const mark = event.target.closest("mark[data-cites]");
    if (mark) {
      hideTip();
      showClaim(mark);
    }
  });

  document.addEventListener("keydown", (event) => {
    const mark = event.target.closest && event.target.closest("mark[data-cites]");
    if (mark && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      showClaim(mark);
    }
  });

  // What cites a highlighted sentence, on hover or keyboard focus.
  let shownFor = null;
  function showTip(mark) {
    const story = storyOf(mark);
    tip.replaceChildren();
    for (const id of mark.dataset.cites.split(" ")) {
      const claim = claimOf(story, id);
      if (!claim) continue;
      const line = document.createElement("p");
      const label = document.createElement("b");
      label.textContent = id + " ";
      line.append(label, claim.querySelector(".line").textContent.trim());
      tip.append(line);
    }
    if (!tip.childElementCount) return;
    tip.hidden = false;
    shownFor = mark;
    place(mark);
  }

  // Beside the sentence: below it when there is room, else above it.
  function place(mark) {
    const box = mark.getBoundingClientRect();
    const width = tip.offsetWidth;
    const height = tip.offsetHeight;
    const left = Math.max(8, Math.min(box.left, window.innerWidth - width - 8));
    const below = box.bottom + 6 + height < window.innerHeight;
    tip.style.left = left + "px";
    tip.style.top = (below ? box.bottom + 6 : Math.max(8, box.top - height - 6)) + "px";
  }

  function hideTip() {
    tip.hidden = true;
    shownFor = null;
  }

  for (const [type, handler] of [
    ["mouseover", showTip],
    ["focusin", showTip],
  ]) {
    document.addEventListener(type, (event) => {
      const mark = event.target.closest && event.target.closest("mark[data-cites]");
      if (mark) handler(mark);
    });
  }
  for (const type of ["mouseout", "focusout"]) {
    document.addEventListener(type, (event) => {
      if (event.target.closest && event.target.closest("mark[data-cites]")) hideTip();
    });
  }
  // The page or the text column scrolling moves the sentence: the tip follows it.
  window.addEventListener("scroll", () => shownFor && place(shownFor), {
    passive: true,
    capture: true,
  });

  // The digest's filter: every word (or "quoted phrase") must appear in the article's
  // brief or text, ignoring case and accents.
  const box = document.getElementById("filter");
  if (box) {
    const stories = Array.from(document.querySelectorAll("main > article.story"));
    const entries = new Map(
      Array.from(document.querySelectorAll(".toc li[data-for]")).map((li) => [li.dataset.for, li])
    );
    const rows = Array.from(document.querySelectorAll(".index tr[data-in]"));
    const shown = document.getElementById("shown");
    const empty = document.getElementById("no-match");
    const fold = (text) => text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    const haystacks = new Map();
    const haystack = (story) => {
      let text = haystacks.get(story);
      if (text === undefined) {
        text = fold(story.textContent.replace(/\s+/g, " "));
        haystacks.set(story, text);
      }
      return text;
    };
    const termsOf = (query) => {
      const terms = [];
      for (const match of query.matchAll(/"([^"]*)"?|(\S+)/g)) {
        const term = fold((match[1] ?? match[2]).replace(/\s+/g, " ").trim());
        if (term) terms.push(term);
      }
      return terms;
    };

    function apply() {
      const terms = termsOf(box.value);
      const visible = new Set();
      for (const story of stories) {
        const match = terms.every((term) => haystack(story).includes(term));
        story.hidden = !match;
        const entry = entries.get(story.id);
        if (entry) entry.hidden = !match;
        if (match) visible.add(story.id);
      }
      for (const row of rows) {
        row.hidden = !row.dataset.in.split(" ").some((key) => visible.has(key));
      }
      shown.textContent = String(visible.size);
      empty.hidden = visible.size > 0;
    }

    box.addEventListener("input", apply);
    document.addEventListener("click", (event) => {
      const pick = event.target.closest("button[data-filter]");
      if (!pick) return;
      box.value = '"' + pick.dataset.filter + '"';
      apply();
      box.focus();
      bringIntoView(box);
    });
    const asked = new URLSearchParams(window.location.search).get("q");
    if (asked) {
      box.value = asked;
      apply();
    }
  }

  // Printing shows everything folded away.
  window.addEventListener("beforeprint", () => {
    document.querySelectorAll("details").forEach((details) => {
      details.open = true;
    });
  });
})();
