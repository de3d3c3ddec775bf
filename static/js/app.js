// Progressive enhancements only: every page works without JavaScript.
"use strict";

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

// On a module page, remember the section the learner is reading, so they can resume there.
function trackReadingPosition(body) {
  const url = body.dataset.positionUrl;
  let pending = null;
  let lastSent = null;
  const send = (section) => {
    if (section === lastSent) return;
    lastSent = section;
    const data = new FormData();
    data.append("section", section);
    data.append("csrf_token", csrfToken());
    fetch(url, { method: "POST", body: data, credentials: "same-origin" }).catch(() => { lastSent = null; });
  };
  const observer = new IntersectionObserver((entries) => {
    const visible = entries.filter((e) => e.isIntersecting).map((e) => e.target.dataset.section);
    if (!visible.length) return;
    clearTimeout(pending);
    pending = setTimeout(() => send(visible[0]), 1200);
  }, { rootMargin: "0px 0px -60% 0px" });
  body.querySelectorAll("section[data-section]").forEach((section) => observer.observe(section));
}

document.addEventListener("DOMContentLoaded", () => {
  const contents = document.querySelector(".module-toc details");
  if (contents && window.matchMedia("(max-width: 1023px)").matches) contents.open = false;
  const body = document.querySelector("[data-position-url]");
  if (body && "IntersectionObserver" in window) trackReadingPosition(body);
  const results = document.getElementById("check-results");
  if (results && window.location.hash === "#check-results") results.focus();
});

// On a task page, save the written answers to the server every few seconds after a change,
// so that nothing typed is lost if the browser closes.
function autosave(form) {
  const status = document.getElementById("autosave-status");
  let dirty = false;
  let saving = false;
  form.addEventListener("input", (event) => { if (event.target.tagName === "TEXTAREA") dirty = true; });
  const save = async () => {
    if (!dirty || saving) return;
    saving = true;
    dirty = false;
    const data = new FormData();
    data.append("csrf_token", csrfToken());
    data.append("action", "save");
    form.querySelectorAll("textarea").forEach((area) => data.append(area.name, area.value));
    try {
      const response = await fetch(form.dataset.autosaveUrl, {
        method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" },
      });
      const body = await response.json();
      if (!response.ok) throw new Error(Object.values(body.problems || {}).join(" "));
      status.textContent = "Draft saved automatically at " + new Date(body.saved_at).toLocaleTimeString("en-AU") + ".";
    } catch (error) {
      dirty = true;
      status.textContent = "Not saved automatically yet: " + (error.message || "no connection") + ". Use Save draft.";
    } finally {
      saving = false;
    }
  };
  setInterval(save, 8000);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") save(); });
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-autosave-url]");
  if (form) autosave(form);
});

// On the marking screen, show which requirements this attempt gives satisfactory evidence for,
// as the assessor judges items and ticks behaviours.
function requirementPicture(form) {
  const rows = document.querySelectorAll(".picture-list li[data-requirement]");
  const update = () => {
    const met = new Set();
    form.querySelectorAll("input[type=radio][data-maps]:checked").forEach((input) => {
      input.dataset.maps.split(" ").forEach((id) => met.add(id));
    });
    rows.forEach((row) => {
      const now = met.has(row.dataset.requirement);
      const earlier = row.dataset.earlier === "yes";
      row.classList.toggle("met", now);
      row.classList.toggle("earlier", !now && earlier);
      row.querySelector(".mark-symbol").textContent = now ? "✓" : earlier ? "◐" : "○";
      row.querySelector(".status-text").textContent =
        (now ? "satisfactory evidence" : earlier ? "earlier evidence only" : "no evidence yet") + ":";
    });
  };
  form.addEventListener("change", update);
  update();
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-requirements]");
  if (form && form.querySelector("input[type=radio][data-maps]")) requirementPicture(form);
});

// The job's state in the words the page itself uses (templates/records/job.html).
function jobStatus(job) {
  if (job.status === "done") return `Finished: ${job.result}`;
  if (job.status === "failed") return `Stopped after ${job.done} of ${job.total} learners: ${job.result} Certificates issued before it stopped stay issued; issuing again carries on with the rest.`;
  if (job.status === "running") return `Issuing: ${job.done} of ${job.total} learners so far…`;
  return "Waiting to start…";
}

// A background job's page polls for progress until the job finishes.
function followJob(box) {
  const bar = document.getElementById("job-progress");
  const status = document.getElementById("job-status");
  const list = document.getElementById("job-messages");
  const poll = async () => {
    const response = await fetch(box.dataset.jobUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    const job = await response.json();
    bar.value = job.percent;
    status.textContent = jobStatus(job);
    list.replaceChildren(...job.messages.map((message) => Object.assign(document.createElement("li"), { textContent: message })));
    if (job.status === "queued" || job.status === "running") setTimeout(poll, 1000);
  };
  if (box.dataset.status === "queued" || box.dataset.status === "running") setTimeout(poll, 500);
}

document.addEventListener("DOMContentLoaded", () => {
  const job = document.querySelector("[data-job-url]");
  if (job) followJob(job);
});
