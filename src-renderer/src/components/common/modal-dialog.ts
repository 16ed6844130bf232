// What every modal of the lab does with its native <dialog> (which already traps focus, closes on
// Escape and returns focus to the control that opened it): shown with showModal() when `open`
// turns true, after `beforeShow` (a form resets its fields), focus then given to `focusTarget`,
// and closed when `open` turns false. The look is base.css's `dialog` rules.
import { nextTick, watch, type Ref } from 'vue';

export function useModalDialog(
  open: () => boolean,
  dialog: Ref<HTMLDialogElement | null>,
  options: { beforeShow?: () => void; focusTarget: () => HTMLElement | null },
): void {
  watch(open, async (isOpen) => {
    await nextTick();
    const element = dialog.value;
    if (!element) return;
    if (isOpen && !element.open) {
      options.beforeShow?.();
      element.showModal();
      options.focusTarget()?.focus();
    } else if (!isOpen && element.open) {
      element.close();
    }
  });
}
