import { fieldErrorsOf, type ApiResult } from "@/components/ui/apiRequest";

/**
 * Sends a file as the request body (same-origin, so the session cookie goes with it), reporting the share sent so far:
 * fetch cannot report upload progress, XMLHttpRequest can.
 */
export function uploadFile(url: string, file: Blob, onProgress: (share: number) => void): Promise<ApiResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let data: unknown = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve({ ok: true, data });
      else
        resolve({
          ok: false,
          message: (data as { error?: { message?: string } })?.error?.message ?? `The upload failed (${xhr.status}).`,
          fields: fieldErrorsOf(data),
        });
    };
    xhr.onerror = () => resolve({ ok: false, message: "Could not reach Assay. Check your connection and try again.", fields: {} });
    xhr.send(file);
  });
}
