//! Running many targets at once: the one worker pool of the fleet and of the library's
//! `up_each`. Scoped threads, so the work borrows what it needs; each result lands in its
//! target's slot, so the caller reads them in the order it gave.

use std::sync::Mutex;

/// Runs `work` on each index `next` hands out (until it says `None`), `jobs` at a time;
/// the result of each index that ran, `None` for the others. `len` is how many indexes
/// there are.
pub(crate) fn run<R: Send>(
    len: usize,
    jobs: usize,
    next: impl Fn() -> Option<usize> + Sync,
    work: impl Fn(usize) -> R + Sync,
) -> Vec<Option<R>> {
    let slots: Vec<Mutex<Option<R>>> = (0..len).map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, len.max(1)) {
            scope.spawn(|| {
                while let Some(index) = next() {
                    let result = work(index);
                    if let Some(Ok(mut slot)) = slots.get(index).map(Mutex::lock) {
                        *slot = Some(result);
                    }
                }
            });
        }
    });
    slots
        .into_iter()
        .map(|slot| slot.into_inner().unwrap_or(None))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn every_index_runs_once_and_lands_in_its_slot() {
        let next = AtomicUsize::new(0);
        let ran = AtomicUsize::new(0);
        let results = super::run(
            50,
            4,
            || Some(next.fetch_add(1, Ordering::SeqCst)).filter(|i| *i < 50),
            |i| {
                ran.fetch_add(1, Ordering::SeqCst);
                i * 2
            },
        );
        assert_eq!(ran.load(Ordering::SeqCst), 50);
        assert_eq!(results, (0..50).map(|i| Some(i * 2)).collect::<Vec<_>>());
    }

    #[test]
    fn indexes_never_handed_out_stay_empty() {
        let next = AtomicUsize::new(0);
        let results = super::run(
            5,
            2,
            || Some(next.fetch_add(1, Ordering::SeqCst)).filter(|i| *i < 2),
            |i| i,
        );
        assert_eq!(results, [Some(0), Some(1), None, None, None]);
    }
}
