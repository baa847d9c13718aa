/**
 * Moves focus to the step the user's own action brought up (the board gives way to the questions, the button to the
 * questions, Send to the note that the answer is sent, a dialog to its opener). Without it focus stays on the element
 * that vanished — the body — and a keyboard or screen-reader user starts again at the top of the page.
 *
 * Waits for the first of `selectors` (in that order of preference) to render under `root`, up to `ms`; makes it
 * focusable by script only (tabindex=-1) when it is not focusable already. Answers whether focus moved.
 */
export function focusWhenShown(root: ParentNode, selectors: readonly string[], ms = 3000): Promise<boolean> {
  const focus = (): boolean => {
    for (const selector of selectors) {
      const target = root.querySelector<HTMLElement>(selector);
      if (!target) continue;
      if (target.tabIndex < 0 && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus();
      return true;
    }
    return false;
  };
  if (focus()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (moved: boolean) => {
      observer.disconnect();
      clearTimeout(timer);
      resolve(moved);
    };
    const observer = new MutationObserver(() => {
      if (focus()) done(true);
    });
    const timer = setTimeout(() => done(false), ms);
    observer.observe(root as Node, { childList: true, subtree: true });
  });
}
