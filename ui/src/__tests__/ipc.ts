// The mocked IPC the UI tests share: each command answers from `responses` (a value, a
// function of the arguments, or an Error whose message is the command's JSON error), and
// every call is recorded in `calls` (emptied by each `setup`).
import { mockIPC } from "@tauri-apps/api/mocks";

export type Call = { cmd: string; args: Record<string, unknown> };
export const calls: Call[] = [];

export function setup(responses: Record<string, unknown>) {
  calls.length = 0;
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> });
    if (cmd.startsWith("plugin:event|")) return 1;
    const r = responses[cmd];
    if (r instanceof Error) throw JSON.parse(r.message);
    return typeof r === "function" ? (r as (a: unknown) => unknown)(args) : r;
  });
}
