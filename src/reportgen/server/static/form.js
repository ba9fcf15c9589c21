// reportgen serve: the report form as the clerk types. Totals shown as they add up (the server
// computes them again); the CLI's checks run live, each message on the cell it is about and in a
// list at the top with a link to the cell; Enter moves down a column and never sends the form,
// the arrow keys move between cells; the draft is kept every 30 s and on leaving a changed field,
// and leaving the page with unsaved changes asks first.
(function () {
  "use strict";
  const form = document.getElementById("report");
  if (!form) return;
  const checkUrl = form.dataset.check, autosaveUrl = form.dataset.autosave;
  const list = document.getElementById("problems"), status = document.getElementById("autosave");
  let dirty = false, sending = null, timer = null;

  function totals() {
    form.querySelectorAll("input[data-sum]").forEach(t => {
      let sum = 0, any = false;
      t.dataset.sum.split(" ").forEach(n => {
        const i = form.elements[n];
        if (i && i.value !== "") { any = true; sum += Number(i.value || i.placeholder || 0); }
        else if (i && i.dataset.sum) { sum += Number(i.placeholder || 0); }
      });
      if (t.value === "") t.placeholder = any ? String(sum) : "自动";
    });
  }

  // one message box under each input, named by the input's aria-describedby
  function box(input) {
    const id = "msg-" + input.id;
    let el = document.getElementById(id);
    if (!el) {
      el = document.createElement("div");
      el.className = "msg live";
      el.id = id;
      input.insertAdjacentElement("afterend", el);
      input.setAttribute("aria-describedby", id);
    }
    return el;
  }

  function show(found) {
    form.querySelectorAll(".bad").forEach(e => { e.classList.remove("bad"); e.removeAttribute("aria-invalid"); });
    form.querySelectorAll(".msg.live").forEach(e => { e.textContent = ""; });
    const byInput = new Map(), items = [];
    found.forEach(p => {
      const input = p.name && form.elements[p.name];
      if (input && input.id) {
        if (!byInput.has(input)) byInput.set(input, []);
        byInput.get(input).push(p.message);
      }
      items.push({message: p.message, input: input && input.id ? input : null});
    });
    byInput.forEach((messages, input) => {
      input.classList.add("bad");
      input.setAttribute("aria-invalid", "true");
      const el = box(input);
      messages.forEach(m => { const line = document.createElement("div"); line.textContent = m; el.appendChild(line); });
    });
    if (!list) return;
    const ol = list.querySelector("ol");
    ol.textContent = "";
    items.forEach(it => {
      const li = document.createElement("li");
      if (it.input) {
        const a = document.createElement("a");
        a.href = "#" + it.input.id;
        const named = it.input.getAttribute("aria-label") || (it.input.labels && it.input.labels[0] && it.input.labels[0].textContent);
        a.textContent = (named || it.input.id) + "：" + it.message;
        li.appendChild(a);
      } else {
        li.textContent = it.message;
      }
      ol.appendChild(li);
    });
    list.querySelector(".count").textContent = String(items.length);
    list.hidden = items.length === 0;
  }

  function live() {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const r = await fetch(checkUrl, {method: "POST", body: new FormData(form)});
      if (r.ok) show((await r.json()).problems);
    }, 400);
  }

  // the cell of ``input`` in the direction asked: the same column below or above, the next or
  // previous cell of the row
  function neighbour(input, dr, dc) {
    const r = Number(input.dataset.r), c = Number(input.dataset.c), table = input.closest("table");
    let best = null, bestKey = null;
    table.querySelectorAll("input[data-r]").forEach(o => {
      const or = Number(o.dataset.r), oc = Number(o.dataset.c);
      let key = null;
      if (dr && oc === c && (or - r) * dr > 0) key = Math.abs(or - r);
      if (dc && or === r && (oc - c) * dc > 0) key = Math.abs(oc - c);
      if (key !== null && (bestKey === null || key < bestKey)) { best = o; bestKey = key; }
    });
    return best;
  }

  form.addEventListener("keydown", e => {
    const input = e.target;
    if (!(input instanceof HTMLInputElement) || input.type === "checkbox") return;
    if (e.key === "Enter") {
      e.preventDefault();  // Enter never sends the form: in a table it moves down the column
      const next = input.dataset.r ? neighbour(input, e.shiftKey ? -1 : 1, 0) : null;
      if (next) { next.focus(); next.select(); }
      return;
    }
    if (!input.dataset.r) return;
    const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const atEnd = input.selectionStart === input.value.length;
    const move = {ArrowDown: [1, 0], ArrowUp: [-1, 0], ArrowRight: atEnd ? [0, 1] : null,
                  ArrowLeft: atStart ? [0, -1] : null}[e.key];
    if (!move) return;
    const next = neighbour(input, move[0], move[1]);
    if (next) { e.preventDefault(); next.focus(); next.select(); }
  });

  function autosave() {
    if (!dirty || sending || !autosaveUrl) return;
    sending = keep().finally(() => { sending = null; });
  }

  async function keep() {
    dirty = false;
    try {
      const r = await fetch(autosaveUrl, {method: "POST", body: new FormData(form)});
      const answer = await r.json();
      if (r.ok && answer.version !== undefined) {
        document.querySelectorAll("input[name=version]").forEach(v => { v.value = String(answer.version); });
        status.textContent = answer.message;
      } else {
        dirty = true;
        status.textContent = answer.message || "草稿未能自动保存，请点击“保存”";
      }
    } catch (err) {
      dirty = true;
      status.textContent = "草稿未能自动保存（网络中断），请点击“保存”";
    }
  }

  // a cell entered is selected whole, as in a spreadsheet: typing replaces its 0
  let entered = null;
  form.addEventListener("focusin", e => {
    if (e.target instanceof HTMLInputElement && e.target.dataset.r) { entered = e.target; e.target.select(); }
  });
  form.addEventListener("mouseup", e => {  // the click that entered the cell would put the caret in it
    if (e.target === entered) { e.preventDefault(); entered.select(); }
    entered = null;
  });
  form.addEventListener("input", () => { dirty = true; totals(); live(); });
  form.addEventListener("change", autosave);  // leaving a field it changed
  form.addEventListener("submit", e => {
    dirty = false;
    if (sending) {  // a draft being kept: the save waits for it, so it is made from the version it gave
      e.preventDefault();
      sending.then(() => form.submit());
    }
  });
  setInterval(autosave, 30000);
  window.addEventListener("beforeunload", e => {
    if (dirty) { e.preventDefault(); e.returnValue = ""; }
  });
  totals();
})();
