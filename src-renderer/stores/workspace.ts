/**
 * Keeps the stores in step, in one direction: the session store owns "current video and frame"; when the video
 * changes its pre-label is fetched and the editor document is rebuilt; the editor follows the session's frame,
 * and an undo that jumps to another frame moves the session's frame. Nothing here imports back into session.
 */
import { watch, type WatchStopHandle } from 'vue';
import { useEditorStore } from './editor';
import { usePrelabelStore } from './prelabel';
import { useSessionStore } from './session';

export function startWorkspace(): () => void {
  const session = useSessionStore();
  const prelabel = usePrelabelStore();
  const editor = useEditorStore();
  const stops: WatchStopHandle[] = [
    watch(() => session.currentId, (id) => { if (id) void prelabel.loadResult(id); }, { immediate: true }),
    // A new video or a new pre-label result: a new document (the generation changes on every result).
    watch(
      () => [session.current, prelabel.current, prelabel.generation] as const,
      ([video, result]) => {
        if (!video) return editor.close();
        if (editor.doc?.id === video.videoId && !result && editor.doc.frameCount === video.sampledFrames) return;
        void editor.open(video, result?.videoId === video.videoId ? result : null).then(() => {
          editor.editor.setFrame(session.frameIndex);
          void editor.ensureFrame(session.frameIndex);
        });
      },
      { immediate: true },
    ),
    watch(() => session.frameIndex, (frame) => {
      editor.editor.setFrame(frame);
      void editor.ensureFrame(frame);
    }),
    watch(() => editor.state.frame, (frame) => { if (frame !== session.frameIndex) session.setFrame(frame); }),
  ];
  return () => stops.forEach((stop) => stop());
}
