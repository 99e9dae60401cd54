/**
 * Class index -> colour and name, taken from the one shared AVSS table so the editor shows exactly the colours
 * every export writes (users' complaint: export colours that do not match the labels).
 */
import { AVSS_CLASSES, AVSS_PALETTE, type Rgb } from '../../src-main/shared/avss-classes';
import { maskValueName } from '../../src-main/shared/onnx-contract';

/** Colour of a class index in the mask PNG; indices past the palette wrap (they cannot come from AVSS models). */
export function classColour(classIndex: number): Rgb {
  return AVSS_PALETTE[classIndex % AVSS_PALETTE.length] ?? [255, 255, 255];
}

export function cssColour(classIndex: number): string {
  const [r, g, b] = classColour(classIndex);
  return `rgb(${r}, ${g}, ${b})`;
}

/** Name of a mask value (see maskValueName in the ONNX contract); AVSS names until a model is known. */
export function className(modelClasses: readonly string[] | undefined, classIndex: number): string {
  return maskValueName(modelClasses ?? AVSS_CLASSES, classIndex);
}
