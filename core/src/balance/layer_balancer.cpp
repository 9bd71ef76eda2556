#include "balance/layer_balancer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>

#include "util/same_bits.hpp"

namespace hetplan::internal {

namespace {

constexpr int kPieces = 7;  // pieces per layer

std::size_t at(int i) {
  return static_cast<std::size_t>(i);
}

// The seven owners of a layer's pieces are one stage: each equals the next, compared as three overlapping
// 8-byte words a side. Loads of a fixed size compile to plain loads everywhere, where a memcmp call would be
// a byte loop in WebAssembly's C library.
bool same_owner(const int* owners) {
  static_assert(kPieces == 7 && sizeof(int) == 4);
  std::uint64_t diff = 0;
  for (int i = 0; i < 6; i += 2) {
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    std::memcpy(&a, owners + i, sizeof a);
    std::memcpy(&b, owners + i + 1, sizeof b);
    diff |= a ^ b;
  }
  return diff == 0;
}

// Each of the seven owners at most the next one.
bool ascending(const int* owners) {
  bool up = true;
  for (int i = 0; i + 1 < kPieces; ++i) up = up && owners[i] <= owners[i + 1];
  return up;
}

// The same doubles bit for bit (so -0 differs from 0, and a NaN matches only the same NaN).
bool all_same_bits(const double* a, const double* b, int n) {
  for (int i = 0; i < n; ++i) {
    if (!same_bits(a[i], b[i])) return false;
  }
  return true;
}

}  // namespace

LayerBalancer::LayerBalancer(const std::vector<double>& layer_share)
    : layers_(static_cast<int>(layer_share.size())), pieces_(layers_ * kPieces), layer_share_(layer_share) {
  piece_share_.reserve(layer_share.size());
  for (double s : layer_share) piece_share_.push_back(s / kPieces);
  share_by_piece_.reserve(at(pieces_));
  for (double s : piece_share_) share_by_piece_.insert(share_by_piece_.end(), kPieces, s);
  piece_owner_.resize(at(pieces_));
  layer_owner_.resize(at(layers_));
  unassigned_.reserve(at(pieces_));
  // A plan has at most as many stages as layers, and one more for the relabelled plans.
  fit(layers_ + 1);
}

// The per-stage buffers are sized once for the most stages seen and never resized per call: their first
// `stages` entries are filled and copied by length. In WebAssembly, vector::assign and resize are calls into
// the C++ library (5% of a row-1 search in node's profile), where a fill or a copy of a given length is one
// bulk-memory instruction.
void LayerBalancer::fit(int stages) {
  if (at(stages) <= capacity_.size()) return;
  const std::size_t n = at(stages);
  for (auto* v : {&capacity_, &trial_}) v->resize(n);
  for (auto* v : {&piece_count_, &piece_min_, &piece_max_, &layer_count_, &layer_front_, &layer_back_}) {
    v->resize(n);
  }
  for (Remembered& r : recent_) {
    r.share.resize(n);
    r.partition.resize(n + 1);
  }
}

double LayerBalancer::piece_share(int piece) const {
  return share_by_piece_[at(piece)];
}

void LayerBalancer::take_piece(int stage, int piece) {
  piece_owner_[at(piece)] = stage;
  int& n = piece_count_[at(stage)];
  if (n == 0) {
    piece_min_[at(stage)] = piece;
    piece_max_[at(stage)] = piece;
  } else {
    piece_min_[at(stage)] = std::min(piece_min_[at(stage)], piece);
    piece_max_[at(stage)] = std::max(piece_max_[at(stage)], piece);
  }
  ++n;
}

// Takes pieces from `piece` on while the share lasts, one subtraction per piece as the reference does.
// Returns the first piece not taken (at most `end`) and leaves the share in `capacity`.
int LayerBalancer::take_run(int piece, int end, double& capacity) const {
  int p = piece;
  int layer = p / kPieces;
  // The rest of the first layer, one piece at a time.
  if (const int in_layer = p - (layer * kPieces); in_layer != 0) {
    const double share = piece_share_[at(layer)];
    for (const int stop = std::min(end, p + kPieces - in_layer); p < stop; ++p) {
      if (!(capacity > share)) return p;
      capacity -= share;
    }
    ++layer;
  }
  // Whole layers: a fixed count of seven, which the compiler unrolls into compare-subtract pairs.
  for (; p + kPieces <= end; p += kPieces, ++layer) {
    const double share = piece_share_[at(layer)];
    for (int i = 0; i < kPieces; ++i) {
      if (!(capacity > share)) return p + i;
      capacity -= share;
    }
  }
  for (const double share = p < end ? piece_share_[at(layer)] : 0.0; p < end; ++p) {
    if (!(capacity > share)) return p;
    capacity -= share;
  }
  return p;
}

// Stages 0..S-2 take pieces in order while their share lasts; the first piece that does not fit is left over
// and the next stage starts after it. The last stage's pieces are left for the backward pass. The left-over
// pieces come out ascending and distinct, so they need no sorting.
void LayerBalancer::forward(int stages) {
  int k = 0;
  const int end = pieces_ - 1 - kPieces;
  for (int s = 0; s + 1 < stages; ++s) {
    double capacity = capacity_[at(s)];
    const int p = k < end ? take_run(k, end, capacity) : k;
    capacity_[at(s)] = capacity;
    if (p > k) {
      int* owner = piece_owner_.data();
      for (int i = k; i < p; ++i) owner[i] = s;
      piece_count_[at(s)] = p - k;
      piece_min_[at(s)] = k;
      piece_max_[at(s)] = p - 1;
    }
    if (p < end) {
      unassigned_.push_back(p);
      piece_owner_[at(p)] = -1;
      k = p + 1;
    } else {
      k = std::max(k, p);
    }
  }
  if (k < pieces_) {
    const std::size_t before = unassigned_.size();
    unassigned_.resize(before + at(pieces_ - k));
    std::iota(unassigned_.begin() + static_cast<std::ptrdiff_t>(before), unassigned_.end(), k);
    std::fill(piece_owner_.begin() + k, piece_owner_.end(), -1);
  }
}

// The last stage takes left-over pieces from the end: always one layer's worth, then more while contiguous
// and its share lasts. It holds nothing before this pass and takes pieces in descending order, so its lowest
// piece is the one it took last; once a piece is refused, every lower one is refused too (it cannot be next
// to the lowest, which no longer moves). So the pass takes a tail of the left-over list, which it cuts off.
void LayerBalancer::backward(int stages) {
  const int last = stages - 1;
  double capacity = capacity_[at(last)];
  std::size_t i = unassigned_.size();
  int lowest = 0;
  int taken = 0;
  while (i > 0) {
    const int p = unassigned_[i - 1];
    const double share = piece_share(p);
    if (taken >= kPieces && (p + 1 != lowest || !(capacity > share))) break;
    capacity -= share;
    piece_owner_[at(p)] = last;
    lowest = p;
    ++taken;
    --i;
  }
  capacity_[at(last)] = capacity;
  if (taken > 0) {
    piece_count_[at(last)] = taken;
    piece_min_[at(last)] = lowest;
    piece_max_[at(last)] = unassigned_.back();
  }
  unassigned_.resize(i);
}

// A left-over piece goes to the stage with the most remaining share among those between its neighbours: from
// the stage holding the nearest lower piece as its highest (lo) to the stage holding the nearest higher piece
// as its lowest (hi).
bool LayerBalancer::leftovers(int stages) {
  for (const int q : unassigned_) {
    int lo = 0;
    int hi = stages - 1;
    // Mostly the pieces right next to q are their holders' highest and lowest: the first step of
    // nearby_bounds' walks, without the call.
    const int below = q > 0 ? piece_owner_[at(q - 1)] : -1;
    const int above = q + 1 < pieces_ ? piece_owner_[at(q + 1)] : -1;
    if (below >= 0 && above >= 0 && piece_max_[at(below)] == q - 1 && piece_min_[at(above)] == q + 1) {
      lo = below;
      hi = above;
    } else if (!nearby_bounds(q, lo, hi)) {
      scan_bounds(q, stages, lo, hi);
    }
    int best = -1;
    double best_capacity = -std::numeric_limits<double>::infinity();
    for (int s = lo; s <= hi; ++s) {
      if (capacity_[at(s)] > best_capacity) {
        best_capacity = capacity_[at(s)];
        best = s;
      }
    }
    if (best < 0) return false;
    capacity_[at(best)] -= piece_share(q);
    take_piece(best, q);
  }
  return true;
}

// lo and hi by a scan over the stages.
void LayerBalancer::scan_bounds(int q, int stages, int& lo, int& hi) const {
  lo = 0;
  hi = stages - 1;
  int lo_value = -1;
  int hi_value = pieces_;
  for (int s = 0; s < stages; ++s) {
    if (piece_count_[at(s)] == 0) continue;
    const int mn = piece_min_[at(s)];
    const int mx = piece_max_[at(s)];
    if (q > mx && mx > lo_value) {
      lo = s;
      lo_value = mx;
    }
    if (q < mn && mn < hi_value) {
      hi = s;
      hi_value = mn;
    }
  }
}

// lo and hi from the pieces next to q, when they are close: going down from q, the first piece that is its
// holder's highest is the highest below q of any stage (every piece below q is held by now); going up, the
// first held piece that is its holder's lowest is the lowest above q (pieces above q still left over are
// skipped). Returns false when either search gives up, to fall back on the scan.
bool LayerBalancer::nearby_bounds(int q, int& lo, int& hi) const {
  constexpr int kReach = 16;
  bool found = false;
  for (int p = q - 1; p >= 0; --p) {
    if (q - p > kReach) return false;
    const int owner = piece_owner_[at(p)];
    if (piece_max_[at(owner)] == p) {
      lo = owner;
      found = true;
      break;
    }
  }
  if (!found) lo = 0;  // no stage holds a piece below q (q is 0, or within reach of 0)
  for (int p = q + 1; p < pieces_; ++p) {
    if (p - q > kReach) return false;
    const int owner = piece_owner_[at(p)];
    if (owner >= 0 && piece_min_[at(owner)] == p) {
      hi = owner;
      return true;
    }
  }
  return true;  // no stage holds a piece above q: hi stays the last stage
}

// Whole layers: a stage keeps a layer when it holds a majority (4 of 7) of its pieces. Remaining share is
// recomputed from the original shares and the span of whole layers (first to last, gaps included).
void LayerBalancer::to_layers(const double* stage_share, int stages) {
  // A stage's first and last layers are read only while it holds some: set when its count leaves zero.
  std::fill_n(layer_count_.data(), stages, 0);
  for (int l = 0; l < layers_; ++l) {
    const int* owners = piece_owner_.data() + at(l * kPieces);
    int candidate = owners[0];
    // Most layers lie wholly in one stage's run (each piece's owner equals the next one's); the others take
    // the middle piece's owner when the owners ascend (a value held by 4 of 7 ascending entries holds the
    // middle one), else a Boyer-Moore vote; then a count.
    if (!same_owner(owners)) {
      candidate = owners[kPieces / 2];
      if (!ascending(owners)) {
        int votes = 0;
        for (int i = 0; i < kPieces; ++i) {
          if (votes == 0) {
            candidate = owners[i];
            votes = 1;
          } else {
            votes += owners[i] == candidate ? 1 : -1;
          }
        }
      }
      int held = 0;
      for (int i = 0; i < kPieces; ++i) held += owners[i] == candidate ? 1 : 0;
      if (held * 2 <= kPieces) {
        layer_owner_[at(l)] = -1;
        continue;
      }
    }
    layer_owner_[at(l)] = candidate;
    if (layer_count_[at(candidate)] == 0) layer_front_[at(candidate)] = l;
    layer_back_[at(candidate)] = l;
    ++layer_count_[at(candidate)];
  }
  for (int s = 0; s < stages; ++s) {
    if (layer_count_[at(s)] == 0) {
      capacity_[at(s)] = stage_share[s];
    } else {
      double used = 0;
      for (int l = layer_front_[at(s)]; l <= layer_back_[at(s)]; ++l) used += layer_share_[at(l)];
      capacity_[at(s)] = stage_share[s] - used;
    }
  }
}

// Up to four rounds: the stage with the most remaining share takes the adjacent layer of its busier
// neighbour; a round is kept only if it does not raise the largest remaining share. The fourth round is never
// kept, and a round without a move changes nothing, so neither do the rounds after it.
//
// Without NaN among the shares, a move changes two of them: the largest share of the trial is the largest of
// those two and of the others, and the next round's stage is the first largest of the same three candidates.
// So a round is one pass over the stages. With a NaN, `<` orders nothing and the first largest depends on
// where the scan starts, so the rounds redo the scans as the reference does.
void LayerBalancer::nudge(int stages) {
  const double* cap = capacity_.data();
  if (std::any_of(cap, cap + stages, [](double c) { return std::isnan(c); })) {
    nudge_scanning(stages);
    return;
  }
  int s = first_largest(stages, -1, -1);
  for (int round = 1; round <= 3; ++round) {
    const int near = busier_neighbour(s, stages);
    if (near < 0) return;
    const int moved = s > near ? layer_back_[at(near)] : layer_front_[at(near)];
    const double trial_s = capacity_[at(s)] - layer_share_[at(moved)];
    const double trial_near = capacity_[at(near)] + layer_share_[at(moved)];
    const int other = first_largest(stages, s, near);
    double trial_max = std::max(trial_s, trial_near);
    if (other >= 0) trial_max = std::max(trial_max, capacity_[at(other)]);
    if (trial_max > capacity_[at(s)]) return;
    capacity_[at(s)] = trial_s;
    capacity_[at(near)] = trial_near;
    move_layer(moved, near, s);
    // The next round's stage: the first largest of the three candidates (lowest index among equals).
    int next = other;
    for (const int c : {s, near}) {
      if (next < 0 || capacity_[at(c)] > capacity_[at(next)] ||
          (!(capacity_[at(c)] < capacity_[at(next)]) && c < next)) {
        next = c;
      }
    }
    s = next;
  }
}

// The first stage with the largest remaining share, skipping two stages (-1: none); -1 when none is left.
// The largest share so far is kept by value: read back through its index, each step would wait for the
// previous one's pick before loading.
int LayerBalancer::first_largest(int stages, int skip_a, int skip_b) const {
  int best = -1;
  double largest = 0;
  for (int i = 0; i < stages; ++i) {
    if (i == skip_a || i == skip_b) continue;
    const double c = capacity_[at(i)];
    if (best < 0 || largest < c) {
      best = i;
      largest = c;
    }
  }
  return best;
}

// The neighbour of s with less remaining share (the lower one first on a tie) that can give a layer: -1 when
// it holds one layer or none.
int LayerBalancer::busier_neighbour(int s, int stages) const {
  int near = -1;
  double near_value = std::numeric_limits<double>::infinity();
  if (s - 1 >= 0 && capacity_[at(s - 1)] < near_value) {
    near = s - 1;
    near_value = capacity_[at(s - 1)];
  }
  if (s + 1 < stages && capacity_[at(s + 1)] < near_value) near = s + 1;
  if (near >= 0 && layer_count_[at(near)] < 2) near = -1;
  return near;
}

// Layer `moved`, at the edge of `near` facing s, goes to s. near holds at least two layers, so another one
// bounds it after the move.
void LayerBalancer::move_layer(int moved, int near, int s) {
  layer_owner_[at(moved)] = s;
  --layer_count_[at(near)];
  if (s > near) {
    int l = moved - 1;
    while (layer_owner_[at(l)] != near) --l;
    layer_back_[at(near)] = l;
  } else {
    int l = moved + 1;
    while (layer_owner_[at(l)] != near) ++l;
    layer_front_[at(near)] = l;
  }
  if (layer_count_[at(s)] == 0) {
    layer_front_[at(s)] = moved;
    layer_back_[at(s)] = moved;
  } else {
    layer_front_[at(s)] = std::min(layer_front_[at(s)], moved);
    layer_back_[at(s)] = std::max(layer_back_[at(s)], moved);
  }
  ++layer_count_[at(s)];
}

// The rounds with every scan, for shares with a NaN: each round tries the move on a copy of the shares and
// keeps it only when kept.
void LayerBalancer::nudge_scanning(int stages) {
  double* const begin = trial_.data();
  double* const end = begin + stages;
  for (int round = 1;; ++round) {
    std::copy(capacity_.begin(), capacity_.begin() + stages, begin);
    const int s = static_cast<int>(std::max_element(begin, end) - begin);
    const int near = busier_neighbour(s, stages);
    int moved = -1;
    if (near >= 0) {
      moved = s > near ? layer_back_[at(near)] : layer_front_[at(near)];
      trial_[at(s)] -= layer_share_[at(moved)];
      trial_[at(near)] += layer_share_[at(moved)];
    }
    const double trial_max = *std::max_element(begin, end);
    const double kept_max = *std::max_element(capacity_.begin(), capacity_.begin() + stages);
    if (trial_max > kept_max || round > 3) break;
    std::copy(begin, end, capacity_.begin());
    if (moved >= 0) move_layer(moved, near, s);
  }
}

bool LayerBalancer::balance(const double* stage_share, int stages, std::vector<int>& partition) {
  // The same shares come back within a few calls (a DFS move that leaves every speed as it was, e.g. half the
  // data-parallel width with twice the batch per group): answer those from the last few calls. Shares are
  // compared bit for bit, so an answer is reused only for the very same input.
  for (std::size_t i = 0; i < kRemembered; ++i) {
    const Remembered& r = recent_[(next_slot_ + kRemembered - 1 - i) % kRemembered];
    if (r.stages == stages && all_same_bits(r.share.data(), stage_share, stages)) {
      if (r.ok) {
        partition.resize(at(stages + 1));
        std::copy_n(r.partition.data(), stages + 1, partition.data());
      }
      return r.ok;
    }
  }
  const bool ok = compute(stage_share, stages, partition);
  Remembered& r = recent_[next_slot_];
  next_slot_ = (next_slot_ + 1) % kRemembered;
  r.stages = stages;
  std::copy_n(stage_share, stages, r.share.data());
  // Without an answer the partition is unspecified: nothing to remember.
  if (ok) std::copy_n(partition.data(), stages + 1, r.partition.data());
  r.ok = ok;
  return ok;
}

bool LayerBalancer::compute(const double* stage_share, int stages, std::vector<int>& partition) {
  fit(stages);
  std::copy_n(stage_share, stages, capacity_.data());
  unassigned_.clear();
  std::fill_n(piece_count_.data(), stages, 0);
  forward(stages);
  backward(stages);
  if (!leftovers(stages)) return false;
  to_layers(stage_share, stages);
  nudge(stages);
  partition.resize(at(stages + 1));
  partition[0] = 0;
  for (int s = 0; s < stages; ++s) partition[at(s + 1)] = partition[at(s)] + layer_count_[at(s)];
  return true;
}

}  // namespace hetplan::internal
