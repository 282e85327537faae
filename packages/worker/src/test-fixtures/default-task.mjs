// An ESM module whose default export is the task.
export default function multiply(left, right) {
  return left * right;
}
