// Every string the user reads, in Vietnamese (default) and English. Error messages say what
// happened and what to do next.
import type { CommandError, PinState } from "./api";

export type Lang = "vi" | "en";
let lang: Lang = "vi";
export const setLang = (l: Lang) => {
  lang = l;
  document.documentElement.lang = l;
};
export const getLang = () => lang;

const S = {
  nav_sign: ["Ký văn bản", "Sign"],
  nav_check: ["Kiểm tra", "Check"],
  nav_tokens: ["Thiết bị & chứng thư", "Tokens & certificates"],
  nav_settings: ["Cài đặt", "Settings"],
  nav_journal: ["Nhật ký ký số", "Signing journal"],
  sign_title: ["Ký văn bản", "Sign documents"],
  sign_hint: ["Kéo thả tệp vào cửa sổ hoặc bấm “Chọn tệp”. Tệp PDF được ký trong tệp; tệp khác được ký tách rời (.p7s).", "Drop files on the window or press “Choose files”. PDFs are signed inside; other files get a separate .p7s signature."],
  pick_files: ["Chọn tệp…", "Choose files…"],
  no_files: ["Chưa chọn tệp nào.", "No file chosen yet."],
  certificates: ["Chứng thư số", "Certificate"],
  no_certs: ["Không tìm thấy chứng thư số. Hãy cắm thiết bị ký (USB token) hoặc chọn tệp .p12.", "No certificate found. Plug in your USB token or choose a .p12 file."],
  use_p12: ["Dùng tệp chứng thư (.p12)…", "Use a certificate file (.p12)…"],
  holder: ["Người sở hữu", "Holder"],
  org: ["Cơ quan", "Organization"],
  issuer: ["Nơi cấp", "Issuer"],
  expires: ["Hết hạn", "Expires"],
  expired: ["Đã hết hạn — không thể ký. Hãy liên hệ tổ chức cấp chứng thư để gia hạn.", "Expired — cannot sign. Contact the issuing authority to renew it."],
  expiring: ["Sắp hết hạn (còn {n} ngày)", "Expires soon ({n} days left)"],
  reason: ["Lý do ký", "Reason"],
  location: ["Nơi ký", "Location"],
  sign_btn: ["Ký", "Sign"],
  cancel: ["Huỷ", "Cancel"],
  ok: ["Đồng ý", "OK"],
  pin_title: ["Nhập mã PIN", "Enter PIN"],
  pin_label: ["Mã PIN của thiết bị ký", "Token PIN"],
  password_title: ["Nhập mật khẩu tệp chứng thư", "Enter the certificate file password"],
  password_label: ["Mật khẩu", "Password"],
  pin_count_low: ["Lưu ý: đã có lần nhập sai mã PIN. Thiết bị sẽ bị khoá nếu nhập sai nhiều lần.", "Note: a wrong PIN was entered before. The token locks after several wrong tries."],
  pin_final_try: ["CẢNH BÁO: chỉ còn MỘT lần thử. Nhập sai nữa thiết bị sẽ bị khoá.", "WARNING: ONE try left. Another wrong PIN locks the token."],
  pin_locked: ["Mã PIN đã bị khoá. Hãy liên hệ tổ chức cấp chứng thư để mở khoá.", "The PIN is locked. Contact the issuing authority to unlock it."],
  signing: ["Đang ký {i}/{n}: {f}", "Signing {i}/{n}: {f}"],
  signed_ok: ["Đã ký", "Signed"],
  failed: ["Không ký được", "Failed"],
  cancelled: ["Đã huỷ", "Cancelled"],
  open_folder: ["Mở thư mục", "Open folder"],
  check_title: ["Kiểm tra văn bản đến", "Check received documents"],
  check_hint: ["Chọn tệp hoặc cả thư mục. Mỗi chữ ký được kiểm tra: còn nguyên vẹn, chứng thư tin cậy, có bị sửa sau khi ký.", "Choose files or a whole folder. Each signature is checked: intact, trusted certificate, changed after signing."],
  check_folder: ["Chọn thư mục…", "Choose a folder…"],
  export: ["Xuất báo cáo…", "Export report…"],
  exported: ["Đã lưu báo cáo: {p}", "Report saved: {p}"],
  v_TOTAL_PASSED: ["Hợp lệ", "Valid"],
  v_INDETERMINATE: ["Chưa xác định", "Undecided"],
  v_TOTAL_FAILED: ["Không hợp lệ", "Invalid"],
  v_NO_SIGNATURE: ["Không có chữ ký", "No signature"],
  signer: ["Người ký", "Signer"],
  time: ["Thời gian ký", "Signing time"],
  chain: ["Chuỗi chứng thư", "Certificate chain"],
  changes: ["Thay đổi sau khi ký", "Changed after signing"],
  page: ["trang", "page"],
  details: ["Chi tiết", "Details"],
  tokens_title: ["Thiết bị ký và chứng thư số", "Tokens and certificates"],
  drivers: ["Trình điều khiển (driver) tìm thấy", "Drivers found"],
  no_drivers: ["Chưa tìm thấy trình điều khiển thiết bị ký. Hãy cài phần mềm đi kèm USB token, hoặc khai báo đường dẫn trong Cài đặt.", "No token driver found. Install the software that came with your USB token, or add its path in Settings."],
  tokens_n: ["{n} thiết bị", "{n} token(s)"],
  refresh: ["Làm mới", "Refresh"],
  settings_title: ["Cài đặt", "Settings"],
  modules: ["Đường dẫn trình điều khiển PKCS#11 (mỗi dòng một đường dẫn)", "PKCS#11 driver paths (one per line)"],
  tsa: ["Máy chủ dấu thời gian (TSA), mỗi dòng một URL", "Timestamp servers (TSA), one URL per line"],
  anchors: ["Tệp chứng thư gốc tin cậy (PEM), mỗi dòng một tệp", "Trusted root certificate files (PEM), one per line"],
  language: ["Ngôn ngữ", "Language"],
  offline: ["Không dùng mạng khi kiểm tra (không tải danh sách thu hồi)", "Never use the network when checking (no revocation download)"],
  save: ["Lưu", "Save"],
  saved: ["Đã lưu cài đặt.", "Settings saved."],
  preview_none: ["Không xem trước được tệp này.", "No preview for this file."],
  show_changes: ["Xem thay đổi", "Show changes"],
  compare_title: ["Thay đổi sau khi ký: bản đã ký (trái) và bản hiện tại (phải)", "Changes after signing: signed revision (left) and current file (right)"],
  compare_signed: ["Bản đã ký", "Signed revision"],
  compare_current: ["Bản hiện tại", "Current file"],
  compare_note: ["Vùng khoanh đỏ là chỗ khác nhau khi hiển thị. Thay đổi không nhìn thấy (ví dụ siêu dữ liệu) vẫn được liệt kê ở mục “Thay đổi sau khi ký”.", "Red boxes mark what looks different. Invisible changes (such as metadata) are still listed under “Changed after signing”."],
  compare_progress: ["Đang so sánh trang {i}/{n}…", "Comparing page {i}/{n}…"],
  compare_capped: ["Chỉ so sánh {n} trang đầu trong tổng số {total} trang.", "Only the first {n} of {total} pages were compared."],
  compare_regions: ["Trang {p}: {n} vùng thay đổi", "Page {p}: {n} changed regions"],
  compare_region: ["Trang {p}: 1 vùng thay đổi", "Page {p}: 1 changed region"],
  compare_same: ["Trang {p}: Không có thay đổi nhìn thấy", "Page {p}: No visible change"],
  compare_new: ["Trang {p}: trang mới, thêm vào sau khi ký", "Page {p}: new page, added after signing"],
  compare_removed: ["Trang {p}: đã bị xoá sau khi ký", "Page {p}: removed after signing"],
  compare_signed_page: ["Bản đã ký, trang {n}", "signed revision page {n}"],
  compare_current_page: ["Bản hiện tại, trang {n}", "current page {n}"],
  close: ["Đóng", "Close"],
  level: ["Mức chữ ký", "Signature level"],
  "level_B-B": ["Chữ ký thường (B-B)", "Basic signature (B-B)"],
  "level_B-T": ["Có dấu thời gian (B-T)", "With a timestamp (B-T)"],
  "level_B-LT": ["Lưu trữ dài hạn (B-LT)", "Long-term (B-LT)"],
  "level_B-LTA": ["Lưu trữ dài hạn + dấu thời gian tài liệu (B-LTA)", "Long-term + document timestamp (B-LTA)"],
  level_no_network: ["Chưa có máy chủ dấu thời gian trong Cài đặt hoặc đang ở chế độ không dùng mạng: văn bản được ký thường trước, dấu thời gian chờ đến khi có mạng.", "No timestamp server in Settings, or offline mode is on: documents are signed now and the timestamp waits for the network."],
  level_reached: ["Mức: {l}", "Level: {l}"],
  sign_pending: ["Đã ký. Dấu thời gian đang chờ mạng; Kyso sẽ tự hoàn tất khi có mạng.", "Signed. The timestamp is waiting for the network; Kyso completes it by itself when the network is back."],
  sign_completed: ["Đã hoàn tất: dấu thời gian đã được thêm ({l}).", "Completed: the timestamp was added ({l})."],
  pending_title: ["Đang chờ mạng ({n})", "Waiting for the network ({n})"],
  pending_hint: ["Các văn bản này đã được ký. Kyso tự thêm dấu thời gian khi có mạng.", "These documents are signed. Kyso adds the timestamp by itself when the network is back."],
  pending_offline: ["Chế độ không dùng mạng đang bật trong Cài đặt: Kyso chưa thể hoàn tất các văn bản này.", "Offline mode is on in Settings: Kyso cannot complete these documents yet."],
  pending_wanted: ["cần {l}", "needs {l}"],
  pending_attempts: ["đã thử {n} lần", "{n} attempt(s)"],
  pending_error: ["Lần thử gần nhất: {e}", "Last attempt: {e}"],
  pending_retry: ["Thử lại ngay", "Retry now"],
  journal_title: ["Nhật ký ký số", "Signing journal"],
  journal_hint: ["Mỗi lần ký và hoàn tất chữ ký trên máy này, mới nhất ở trên. Giờ Việt Nam (UTC+7).", "Every signing and completion on this computer, newest first. Vietnam time (UTC+7)."],
  journal_empty: ["Chưa có lần ký nào.", "Nothing signed yet."],
  journal_time: ["Thời gian", "Time"],
  journal_action: ["Việc", "Action"],
  journal_result: ["Kết quả", "Result"],
  journal_files: ["Tệp", "Files"],
  action_sign: ["Ký", "Sign"],
  action_augment: ["Hoàn tất (dấu thời gian)", "Completion (timestamp)"],
  result_started: ["Chưa xong (có thể bị ngắt)", "Not finished (may have been interrupted)"],
  result_ok: ["Thành công", "Done"],
  result_pending: ["Chờ mạng", "Waiting for the network"],
  result_failed: ["Không thành công", "Failed"],
  role_title: ["Chữ ký trên văn bản", "Signature on the page"],
  role_none: ["Không hiển thị", "Invisible"],
  role_visible: ["Chữ ký hiển thị", "Visible"],
  role_approve: ["Lãnh đạo ký duyệt", "Approve"],
  role_issue: ["Văn thư phát hành", "Issue"],
  role_appendix: ["Ký phụ lục", "Appendix"],
  role_copy: ["Ký bản sao", "Copy"],
  role_incoming: ["Văn bản đến", "Incoming"],
  hint_none: ["Chữ ký số không hiện trên trang (vẫn kiểm tra được).", "The digital signature does not show on the page (it can still be checked)."],
  hint_visible: ["Tên người ký, cơ quan và thời gian ký, trong khung đặt trên trang 1.", "Signer, organisation and signing time, in the box placed on page 1."],
  hint_approve: ["Ảnh chữ ký của người ký (theo tên trên chứng thư, trong Hồ sơ đơn vị ở Cài đặt) đặt vào khung trên trang 1. Kéo khung đến chỗ ký.", "The signer's signature image (by the name in the certificate, from the organisation profile in Settings) in the box on page 1. Drag the box to the signature block."],
  hint_issue: ["Con dấu của đơn vị (Hồ sơ đơn vị) đóng trùm lên 1/3 bên trái chữ ký của lãnh đạo. Lãnh đạo phải ký trước.", "The organisation's seal (from the profile) over the left third of the leader's signature. The leader signs first."],
  hint_appendix: ["Số, ký hiệu của văn bản chính và thời gian ký, góc trên bên phải trang 1.", "Number of the main document and the signing time, top right of page 1."],
  hint_copy: ["Con dấu, tên cơ quan sao và thời gian ký, góc trên bên phải trang 1.", "Seal, copying organisation and signing time, top right of page 1."],
  hint_incoming: ["Dấu “đến” ở góc trên bên trái trang 1.", "The “received” stamp, top left of page 1."],
  doc_number: ["Số, ký hiệu văn bản (ví dụ 15/QĐ-UBND)", "Document number and symbol (e.g. 15/QĐ-UBND)"],
  copy_org: ["Tên cơ quan sao (để trống: lấy từ Hồ sơ đơn vị)", "Copying organisation (empty: from the profile)"],
  receipt: ["Nội dung dấu đến (ví dụ: Số đến 125, ngày 24/11/2026)", "Receipt text (e.g. Received no. 125, 24/11/2026)"],
  field_needed: ["Cần nhập: {f}", "Needed: {f}"],
  box_hint: ["Kéo khung xanh để đặt chữ ký; kéo góc dưới bên phải để đổi cỡ.", "Drag the blue box to place the signature; drag its lower right corner to resize it."],
  box_label: ["Vị trí chữ ký", "Signature position"],
  box_no_preview: ["Chọn một tệp PDF để đặt vị trí chữ ký trên trang 1.", "Choose a PDF to place the signature on page 1."],
  profile_title: ["Hồ sơ đơn vị: con dấu và chữ ký", "Organisation profile: seal and signatures"],
  profile_hint: ["Dùng cho chữ ký hiển thị. Ảnh được chép vào máy này và chỉ dùng khi ký.", "Used for visible signatures. Images are copied to this computer and only used when signing."],
  profile_org: ["Tên cơ quan", "Organisation name"],
  profile_approve_text: ["Dòng chữ dưới chữ ký duyệt (mỗi dòng một dòng)", "Text under approval signatures (one line per line)"],
  profile_seal: ["Con dấu", "Seal"],
  profile_no_seal: ["Chưa có con dấu.", "No seal yet."],
  profile_pick_seal: ["Chọn ảnh con dấu (PNG nền trong suốt)…", "Choose the seal image (transparent PNG)…"],
  profile_signatures: ["Ảnh chữ ký", "Signature images"],
  profile_no_signatures: ["Chưa có ảnh chữ ký.", "No signature image yet."],
  profile_person: ["Họ tên người ký (đúng như trên chứng thư số)", "Signer's name (exactly as in the certificate)"],
  profile_pick_signature: ["Chọn ảnh chữ ký…", "Choose the signature image…"],
  profile_person_needed: ["Hãy nhập họ tên người ký trước khi chọn ảnh.", "Enter the signer's name before choosing the image."],
  profile_signature_of: ["Chữ ký của {n}", "Signature of {n}"],
  profile_save: ["Lưu hồ sơ", "Save profile"],
  profile_saved: ["Đã lưu hồ sơ đơn vị.", "Profile saved."],
  profile_image_saved: ["Đã lưu ảnh.", "Image saved."],
} as const;

export type Key = keyof typeof S;
export const isKey = (k: string): k is Key => Object.prototype.hasOwnProperty.call(S, k);

export function t(key: Key, vars: Record<string, string | number> = {}): string {
  let s: string = S[key][lang === "vi" ? 0 : 1];
  for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, String(v));
  return s;
}

const E: Record<string, [string, string]> = {
  DRIVER_MISSING: ["Không tải được trình điều khiển thiết bị ký. Hãy cài lại phần mềm của USB token.", "The token driver could not be loaded. Reinstall your USB token's software."],
  TOKEN_MISSING: ["Chưa cắm thiết bị ký (hoặc đã bị rút ra). Hãy cắm USB token rồi thử lại.", "The token is not plugged in (or was removed). Plug in your USB token and try again."],
  TOKEN_AMBIGUOUS: ["Có nhiều thiết bị ký; hãy chọn một chứng thư cụ thể.", "Several tokens are plugged in; choose one certificate."],
  PIN_REQUIRED: ["Cần nhập mã PIN.", "A PIN is required."],
  PIN_INCORRECT: ["Mã PIN không đúng. Chưa ký tệp nào.", "Wrong PIN. Nothing was signed."],
  PIN_LOCKED: ["Mã PIN đã bị khoá. Hãy liên hệ tổ chức cấp chứng thư để mở khoá.", "The PIN is locked. Contact the issuing authority to unlock it."],
  PIN_LENGTH: ["Mã PIN không đúng độ dài thiết bị yêu cầu.", "The PIN has the wrong length for this token."],
  CERT_NOT_FOUND: ["Không tìm thấy chứng thư số đã chọn trên thiết bị.", "The chosen certificate was not found on the token."],
  CERT_EXPIRED: ["Chứng thư số đã hết hạn. Hãy liên hệ tổ chức cấp chứng thư để gia hạn.", "The certificate has expired. Contact the issuing authority to renew it."],
  CERT_NOT_YET_VALID: ["Chứng thư số chưa có hiệu lực. Hãy kiểm tra đồng hồ máy tính.", "The certificate is not valid yet. Check the computer's clock."],
  P12_PASSWORD: ["Mật khẩu tệp chứng thư không đúng.", "Wrong password for the certificate file."],
  P12_UNREADABLE: ["Không đọc được tệp chứng thư (.p12).", "The certificate file (.p12) cannot be read."],
  ENCRYPTED_PDF: ["Tệp PDF có mật khẩu bảo vệ; hãy bỏ bảo vệ trong phần mềm đã tạo ra tệp rồi ký lại.", "The PDF is password-protected; remove the protection in the program that made it, then sign."],
  DAMAGED_PDF: ["Tệp PDF bị hỏng; hãy lưu lại tệp từ phần mềm đã tạo ra nó rồi thử lại.", "The PDF is damaged; save it again from the program that made it and retry."],
  NOT_PDF: ["Tệp không phải là PDF.", "The file is not a PDF."],
  CERTIFIED_NO_CHANGES: ["Văn bản đã được chứng thực “không cho phép thay đổi”; ký thêm sẽ làm mất hiệu lực chứng thực.", "The document is certified “no changes allowed”; another signature would break it."],
  FIELD_SIGNED: ["Ô chữ ký này đã được ký.", "This signature field is already signed."],
  OUTPUT_EXISTS: ["Tệp kết quả đã tồn tại.", "The output file already exists."],
  POLICY: ["Chứng thư hoặc thuật toán không được phép dùng để ký.", "This certificate or algorithm is not allowed for signing."],
  WRONG_KEY: ["Chữ ký trả về không khớp với chứng thư; không ghi tệp nào.", "The returned signature does not match the certificate; nothing was written."],
  IO: ["Không đọc/ghi được tệp. Kiểm tra quyền truy cập và dung lượng ổ đĩa.", "A file could not be read or written. Check permissions and free disk space."],
  NOT_CHOSEN: ["Tệp này chưa được chọn qua hộp thoại.", "This file was not chosen in the dialog."],
  SETTINGS_INVALID: ["Cài đặt không hợp lệ", "Invalid settings"],
  TRUST_UNREADABLE: ["Không đọc được tệp chứng thư gốc trong Cài đặt.", "A trusted root file in Settings cannot be read."],
  JOURNAL: ["Không mở được nhật ký ký số (kiểm tra quyền ghi thư mục dữ liệu)", "The signing journal cannot be opened (check the data folder's permissions)"],
  PROFILE: ["Hồ sơ đơn vị", "Organisation profile"],
  INTERNAL: ["Lỗi không mong đợi.", "Unexpected error."],
};

// Refusals of a visible signature (code POLICY, English detail from the core).
const APPEARANCE: [RegExp, string, string][] = [
  [/needs the seal image/, "Chưa có ảnh con dấu: hãy chọn con dấu trong Cài đặt › Hồ sơ đơn vị.", "No seal image: choose the seal in Settings › Organisation profile."],
  [/no visible signature to place the seal over/, "Văn bản chưa có chữ ký hiển thị của lãnh đạo để đóng dấu lên: lãnh đạo ký duyệt trước.", "The document has no visible signature of the leader to place the seal over: the leader signs first."],
  [/needs the document number/, "Cần nhập số, ký hiệu văn bản.", "Enter the document number."],
  [/needs the organisation's name/, "Cần tên cơ quan sao (nhập vào ô hoặc lưu trong Hồ sơ đơn vị).", "The copying organisation's name is needed (type it, or save it in the profile)."],
  [/needs the receipt text/, "Cần nhập nội dung dấu đến.", "Enter the receipt text."],
  [/needs the signature block/, "Cần đặt khung chữ ký trên trang xem trước.", "Place the signature box on the preview."],
];

/** The visible-signature refusal in `detail`, in the current language, or null. */
export function appearanceError(detail: string): string | null {
  for (const [re, vi, en] of APPEARANCE) if (re.test(detail)) return lang === "vi" ? vi : en;
  return null;
}

export function errorText(e: CommandError): string {
  if (e.code === "POLICY") {
    const a = appearanceError(e.detail ?? "");
    if (a) return a;
  }
  const pair = E[e.code] ?? E.INTERNAL;
  let s = pair[lang === "vi" ? 0 : 1];
  if (e.code === "PIN_INCORRECT" && e.pin) s += " " + pinWarning(e.pin);
  if (e.code === "SETTINGS_INVALID" || e.code === "JOURNAL" || e.code === "PROFILE" || !E[e.code]) s += `: ${e.detail}`;
  return s.trim();
}

export function pinWarning(p: PinState): string {
  if (p.locked) return t("pin_locked");
  if (p.final_try) return t("pin_final_try");
  if (p.count_low) return t("pin_count_low");
  return "";
}
