import "./style.css";
import { listen } from "@tauri-apps/api/event";
import { api } from "./api";
import { setLang, t, type Lang } from "./i18n";
import { renderSign, addFiles } from "./sign";
import { renderCheck } from "./check";
import { renderTokens } from "./tokens";
import { renderSettings } from "./settings";
import { renderJournal } from "./journal";
import { refreshPending } from "./pending";
import { installBridge } from "./bridge";
import { noticeUpdate } from "./update";
import { renderSelfCheck } from "./selfcheck";
import { renderWelcome } from "./welcome";

type View = "sign" | "check" | "journal" | "tokens" | "system" | "settings" | "welcome";
let current: View = "sign";

export function labelNav() {
  const names: Record<Exclude<View, "welcome">, Parameters<typeof t>[0]> = { sign: "nav_sign", check: "nav_check", journal: "nav_journal", tokens: "nav_tokens", system: "nav_system", settings: "nav_settings" };
  for (const v of Object.keys(names) as Exclude<View, "welcome">[]) {
    const b = document.getElementById(`nav-${v}`)!;
    b.textContent = t(names[v]);
    b.setAttribute("aria-current", v === current ? "page" : "false");
  }
}

export async function show(view: View) {
  current = view;
  labelNav();
  const main = document.getElementById("view")!;
  if (view === "sign") await renderSign(main);
  if (view === "check") await renderCheck(main);
  if (view === "journal") await renderJournal(main);
  if (view === "tokens") await renderTokens(main);
  if (view === "system") await renderSelfCheck(main, () => void show("welcome"));
  if (view === "welcome") await renderWelcome(main, (job) => void show(job));
  if (view === "settings") await renderSettings(main, (l: Lang) => { setLang(l); void show("settings"); }, () => void refreshPending());
  // The waiting list follows the settings (offline mode) and the language.
  void refreshPending();
  main.focus();
}

async function start() {
  // The menu works from the first moment (before anything below is awaited, a click would
  // be lost), and a screen chosen while the start-up still waits (settings, the bridge, the
  // launch request) is not replaced by the first screen when it is done.
  let chosen = false;
  for (const b of document.querySelectorAll<HTMLButtonElement>(".nav-item")) {
    b.addEventListener("click", () => {
      chosen = true;
      void show(b.dataset.view as View);
    });
  }
  try {
    const s = await api.getSettings();
    setLang(s.language === "en" ? "en" : "vi");
  } catch {
    setLang("vi");
  }
  // Files dropped on the window were registered by the app; they go to the open screen.
  // Questions from document-management pages, whatever screen is open.
  await installBridge();
  await listen<string[]>("files-dropped", (e) => {
    if (current === "check") void renderCheck(document.getElementById("view")!, e.payload);
    else addFiles(e.payload);
  });
  // "Ký số bằng Kyso" / "Kiểm tra chữ ký" on a PDF's right-click menu start Kyso with the file.
  const launch = await api.launchRequest().catch(() => null);
  if (launch?.view === "check") {
    current = "check";
    labelNav();
    await renderCheck(document.getElementById("view")!, launch.files);
  } else if (launch) {
    await show("sign");
    addFiles(launch.files);
  } else if (await api.welcomePending().catch(() => false)) {
    // The first start on this computer: the welcome, once.
    if (!chosen) await show("welcome");
  } else if (!chosen) {
    await show("sign");
  }
  void noticeUpdate(() => void show("settings").then(() => document.getElementById("update-section")?.scrollIntoView()));
}

void start();
