/** For the preload test only: no other test imports this module. */
export function multiply(left, right) {
  return left * right;
}
