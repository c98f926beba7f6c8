// The organisation profile (on the Settings screen): name, approval text, seal and
// signature images for visible signatures. Images are chosen in a native dialog (in Rust)
// and shown from the data URLs the app returns.
import { api, asError, type Profile } from "./api";
import { clear, h } from "./dom";
import { errorText, t } from "./i18n";

const lines = (s: string) => s.split("\n").map((x) => x.trim()).filter(Boolean);

export async function renderProfile(section: HTMLElement) {
  clear(section);
  section.append(h("h2", {}, t("profile_title")), h("p", { class: "muted" }, t("profile_hint")));
  let p: Profile | undefined;
  try {
    p = await api.getProfile();
  } catch (e) {
    section.append(h("p", { class: "bad", id: "profile-status" }, errorText(asError(e))));
    return;
  }
  const org = h("input", { id: "profile-org", type: "text" }) as HTMLInputElement;
  org.value = p?.organization ?? "";
  const approve = h("textarea", { id: "profile-approve-text", rows: 3 }) as HTMLTextAreaElement;
  approve.value = (p?.approve_text ?? []).join("\n");
  const person = h("input", { id: "profile-person", type: "text", placeholder: t("profile_person"), "aria-label": t("profile_person") }) as HTMLInputElement;
  const images = h("div", { id: "profile-images", class: "profile-images" });
  const status = h("p", { id: "profile-status", role: "status" });
  const say = (cls: string, text: string) => { status.className = cls; status.textContent = text; };
  const showImages = (v: Profile | undefined) => {
    clear(images);
    images.append(h("figure", { id: "profile-seal" },
      v?.seal ? h("img", { src: v.seal, alt: t("profile_seal") }) : h("p", { class: "muted" }, t("profile_no_seal")),
      h("figcaption", {}, t("profile_seal"))));
    const sigs = v?.signatures ?? [];
    if (!sigs.length) images.append(h("p", { class: "muted", id: "profile-no-signatures" }, t("profile_no_signatures")));
    for (const [name, url] of sigs) {
      images.append(h("figure", { class: "profile-signature", "data-person": name },
        h("img", { src: url, alt: t("profile_signature_of", { n: name }) }), h("figcaption", {}, name)));
    }
  };
  showImages(p);
  const pickImage = async (kind: "seal" | "signature") => {
    const who = person.value.trim();
    if (kind === "signature" && !who) {
      say("warn", t("profile_person_needed"));
      person.focus();
      return;
    }
    try {
      const before = JSON.stringify([p?.seal, p?.signatures]);
      p = await api.pickProfileImage(kind, kind === "signature" ? who : undefined);
      showImages(p);
      if (JSON.stringify([p?.seal, p?.signatures]) !== before) say("ok", t("profile_image_saved"));
    } catch (e) {
      say("bad", errorText(asError(e)));
    }
  };
  section.append(
    h("label", { for: "profile-org" }, t("profile_org")), org,
    h("label", { for: "profile-approve-text" }, t("profile_approve_text")), approve,
    images,
    h("div", { class: "row" }, h("button", { id: "profile-pick-seal", onclick: () => void pickImage("seal") }, t("profile_pick_seal"))),
    h("div", { class: "row" }, person, h("button", { id: "profile-pick-signature", onclick: () => void pickImage("signature") }, t("profile_pick_signature"))),
    h("div", { class: "row" }, h("button", { id: "profile-save", class: "primary", onclick: async () => {
      try {
        p = await api.saveProfile(org.value.trim() || null, lines(approve.value));
        showImages(p);
        say("ok", t("profile_saved"));
      } catch (e) {
        say("bad", errorText(asError(e)));
      }
    } }, t("profile_save"))),
    status,
  );
}
