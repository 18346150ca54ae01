import { useRef, useState } from "preact/hooks";
import { type ApiFailure, type ApiResult, newIdempotencyKey } from "./apiClient";

// The one request a dialog records (a campaign, a link export): one idempotency key per dialog, so a
// retry or a double click carries the same key and the app records one; a second click while the first
// request is out does nothing. A failure can be retried; a success is handed to `onSuccess`.

export function useSubmitOnce<T>(onSuccess: (data: T) => void) {
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const started = useRef(false);

  async function submit(request: (idempotencyKey: string) => Promise<ApiResult<T>>) {
    if (started.current) return;
    started.current = true;
    setSubmitting(true);
    setFailure(null);
    const result = await request(idempotencyKey);
    setSubmitting(false);
    if (result.ok) {
      onSuccess(result.data);
      return;
    }
    started.current = false;
    setFailure(result.error);
  }

  return { submitting, failure, submit };
}
