/**
 * Decoded frame images by URL, a few frames around the current one kept ready so stepping shows the next frame
 * at once (the frame-switch goal is 30 ms; fetching and decoding a 1080p JPEG takes longer than that).
 * Images are plain DOM objects, never reactive.
 */
const KEEP = 24;

export class FrameImageCache {
  private readonly images = new Map<string, Promise<HTMLImageElement>>();
  private readonly ready = new Map<string, HTMLImageElement>();

  /** The decoded image when it is ready now, else null. */
  peek(url: string): HTMLImageElement | null {
    return this.ready.get(url) ?? null;
  }

  load(url: string): Promise<HTMLImageElement> {
    let promise = this.images.get(url);
    if (!promise) {
      const img = new Image();
      img.decoding = 'async';
      img.src = url;
      promise = img.decode().then(() => {
        this.ready.set(url, img);
        return img;
      });
      promise.catch(() => this.images.delete(url));
      this.images.set(url, promise);
      while (this.images.size > KEEP) {
        const oldest = this.images.keys().next().value!;
        this.images.delete(oldest);
        this.ready.delete(oldest);
      }
    } else {
      // refresh its place in the LRU order
      this.images.delete(url);
      this.images.set(url, promise);
    }
    return promise;
  }

  clear(): void {
    this.images.clear();
    this.ready.clear();
  }
}
