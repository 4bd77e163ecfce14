export type TextPosition = 'top left' | 'top right' | 'bottom left' | 'bottom right';

/**
 * Where to put the labels of two points A and B so they never overlap: each on the side away
 * from the other, in opposite quadrants. Coincident points (identical means: the collapse case)
 * get top left and bottom right.
 */
export function labelSides(a: readonly [number, number], b: readonly [number, number]): [TextPosition, TextPosition] {
  const bAbove = b[1] > a[1];
  const bLeft = b[0] < a[0];
  const at = (top: boolean, left: boolean) => `${top ? 'top' : 'bottom'} ${left ? 'left' : 'right'}` as TextPosition;
  return [at(!bAbove, !bLeft), at(bAbove, bLeft)];
}
