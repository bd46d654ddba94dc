#include "aidc/model/grid.hpp"
#include <gtest/gtest.h>
