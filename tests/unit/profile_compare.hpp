// Two profile sets compared field by field, doubles bit for bit: for the tests of the ways a set is read.
#pragma once

#include "hetplan/profiles.hpp"

namespace hetplan::testing {

// Adds a GoogleTest failure for each difference; returns how many entries were compared.
std::size_t expect_same_profiles(const ProfileSet& actual, const ProfileSet& expected);

}  // namespace hetplan::testing
