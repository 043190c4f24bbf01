/**
 * Reads a Server-Sent Events stream over a real socket until its text holds `until` (or the server ends it),
 * then hangs up: counting what arrived, never waiting for a clock.
 */
export async function readSseUntil(url: string, headers: Record<string, string>, until: string): Promise<{ status: number; text: string }> {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  if (!response.ok || !response.body) return { status: response.status, text: await response.text() };
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  while (!text.includes(until)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  controller.abort();
  return { status: response.status, text };
}
