export const k: number = [1][0] ?? 0;
