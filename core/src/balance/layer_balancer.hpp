// The layer balancer (stage compute shares -> layer partition) as a reusable object: the search runs it a few
// hundred thousand times per case, so it keeps its buffers and its per-layer tables between calls.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace hetplan::internal {

class LayerBalancer {
 public:
  // `layer_share`: each layer's share of the model's time (sums to 1).
  explicit LayerBalancer(const std::vector<double>& layer_share);

  // The partition [0, e1, ..., eS] of `stages` shares, exactly as balance_layers computes it (see
  // balancers.hpp). Returns false where balance_layers returns nullopt; `partition` is then unspecified.
  bool balance(const double* stage_share, int stages, std::vector<int>& partition);

 private:
  // The last few calls' shares and answers (see balance).
  static constexpr std::size_t kRemembered = 4;
  struct Remembered {
    int stages = -1;
    std::vector<double> share;
    std::vector<int> partition;
    bool ok = false;
  };

  void fit(int stages);
  bool compute(const double* stage_share, int stages, std::vector<int>& partition);
  [[nodiscard]] int take_run(int piece, int end, double& capacity) const;
  void forward(int stages);
  void backward(int stages);
  bool leftovers(int stages);
  bool nearby_bounds(int q, int& lo, int& hi) const;
  void scan_bounds(int q, int stages, int& lo, int& hi) const;
  void to_layers(const double* stage_share, int stages);
  void nudge(int stages);
  void nudge_scanning(int stages);
  [[nodiscard]] int first_largest(int stages, int skip_a, int skip_b) const;
  [[nodiscard]] int busier_neighbour(int s, int stages) const;
  void move_layer(int moved, int near, int s);
  void take_piece(int stage, int piece);
  [[nodiscard]] double piece_share(int piece) const;

  int layers_ = 0;
  int pieces_ = 0;
  std::vector<double> layer_share_;
  std::vector<double> piece_share_;     // per layer: its share / 7 (all seven pieces of a layer are equal)
  std::vector<double> share_by_piece_;  // the same per piece (piece_share_[p / 7] without the division)

  // Per call. Pieces: who holds each, and per stage how many, the lowest and the highest.
  std::vector<double> capacity_;
  std::vector<int> unassigned_;  // ascending; after the backward pass, the pieces it left
  std::vector<int> piece_count_;
  std::vector<int> piece_min_;
  std::vector<int> piece_max_;
  std::vector<int> piece_owner_;  // -1 while unassigned
  // Whole layers after the majority mapping: owner per layer, and per stage count, first and last.
  std::vector<int> layer_owner_;
  std::vector<int> layer_count_;
  std::vector<int> layer_front_;
  std::vector<int> layer_back_;
  std::vector<double> trial_;
  std::array<Remembered, kRemembered> recent_;
  std::size_t next_slot_ = 0;
};

}  // namespace hetplan::internal
