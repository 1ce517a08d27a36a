export function npmNodeVersion(userAgent: string | undefined): string | undefined;
export function installNote(
  userAgent: string | undefined,
  requiredMajor: number,
  pinned: string | undefined,
): string | undefined;
